/**
 * "Is +<digits> a possible phone number, and what are its E.164 digits?", exactly as
 * libphonenumber-js answers it (`parsePhoneNumberFromString('+' + digits)?.isPossible()`), without
 * its usual cost. Parsing a number whose country calling code several countries share (+1 has
 * 25) first finds the exact country by trying each one's number-type patterns, about 15 µs for a
 * number that matches none (the accept benchmark's sixth of a send's CPU), although the answer
 * needs only the country's possible lengths. So the number is first parsed with metadata that
 * lists only each code's main country (no search), and when its national number is the digits after
 * the calling code (no national prefix stripped, which also depends on the country) and its length
 * is possible in every country of its code, or in none, that is the answer; otherwise (a 7-digit
 * +1 number: Canada's; "+1 1 310…") the full parse answers. `possible-number.test.ts` compares both on random input.
 *
 * Even that first parse cost the platform about 18 µs of CPU a send under load (6.5 % of its accept
 * profile: option objects, the parser's regular expressions, a PhoneNumber). So the common case is
 * answered from tables made at start-up instead: the calling code is the digits' 1-, 2- or 3-digit
 * prefix (codes are prefix-free), and where no national prefix can be stripped from the rest, the
 * answer is its length against the possible lengths. Anything else takes the parse above.
 */
import { Metadata, parsePhoneNumberFromString as parseWith, type CountryCode, type MetadataJson } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/metadata.min.json';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

interface LengthRule {
  /** National number lengths possible in every country of the calling code. */
  all: ReadonlySet<number>;
  /** Lengths possible in at least one. */
  any: ReadonlySet<number>;
  /** The main country's national prefix (as parsed): where one may be stripped, the country decides. */
  nationalPrefix: RegExp | undefined;
}

type Json = MetadataJson & { country_calling_codes: Record<string, string[]> };

/** What the table path needs of a calling code: its main country's plan. */
interface CodePlan {
  /** The main country's possible national number lengths (isPossible()'s answer). */
  lengths: ReadonlySet<number>;
  nationalPrefix: RegExp | undefined;
  /** Present when several countries share the code. */
  shared: LengthRule | undefined;
}

const full = metadata as Json;
const plans = new Metadata(full);
const codePlans = new Map<string, CodePlan>();
const mainCountryOnly: Json = { ...full, country_calling_codes: {} };
// libphonenumber-js's bounds on a national number (constants.js): outside them it parses nothing.
const MIN_NATIONAL = 2;
const MAX_NATIONAL = 17;

for (const [code, countries] of Object.entries(full.country_calling_codes)) {
  mainCountryOnly.country_calling_codes[code] = countries.slice(0, 1);
  // Non-geographic codes (+800, +882…) have the plan "001", selected by the code itself.
  const first = countries[0] as string;
  const main = first === '001' ? code : first;
  const prefix = nationalPrefixForParsing(main);
  const nationalPrefix = prefix ? new RegExp(`^(?:${prefix})`) : undefined;
  let shared: LengthRule | undefined;
  if (countries.length > 1) {
    const lengths = countries.map((c) => new Set(possibleLengths(c)));
    const any = new Set(lengths.flatMap((l) => [...l]));
    const all = new Set([...any].filter((n) => lengths.every((l) => l.has(n))));
    shared = { all, any, nationalPrefix };
  }
  codePlans.set(code, { lengths: new Set(possibleLengths(main)), nationalPrefix, shared });
}

function possibleLengths(country: string): number[] {
  plans.selectNumberingPlan(country as CountryCode);
  return plans.numberingPlan?.possibleLengths() ?? [];
}

function nationalPrefixForParsing(country: string): string | undefined {
  plans.selectNumberingPlan(country as CountryCode);
  // Present at run time, not in the library's types; checked so an upgrade that drops it fails loudly.
  const plan = plans.numberingPlan as unknown as { nationalPrefixForParsing?: () => string | undefined };
  if (typeof plan.nationalPrefixForParsing !== 'function') throw new Error('libphonenumber-js: NumberingPlan.nationalPrefixForParsing is gone');
  return plan.nationalPrefixForParsing();
}

/** The E.164 digits (no "+") of +<digits> when it is a possible number, else undefined. */
export function possibleNumber(digits: string): string | undefined {
  const answer = fromTables(digits);
  return answer === UNDECIDED ? possibleNumberParsed(digits) : answer;
}

const UNDECIDED = Symbol('undecided');
const ONLY_DIGITS = /^\d+$/;

/** The answer where the tables alone decide it; UNDECIDED where the parse must. */
function fromTables(digits: string): string | undefined | typeof UNDECIDED {
  if (!ONLY_DIGITS.test(digits)) return UNDECIDED;
  for (let size = 1; size <= 3; size++) {
    const plan = codePlans.get(digits.slice(0, size));
    if (!plan) continue;
    const national = digits.slice(size);
    if (national.length < MIN_NATIONAL || national.length > MAX_NATIONAL || plan.nationalPrefix?.test(national)) return UNDECIDED;
    const length = national.length;
    if (plan.shared) {
      if (!plan.shared.any.has(length)) return undefined;
      if (!plan.shared.all.has(length)) return UNDECIDED;
    }
    return plan.lengths.has(length) ? digits : undefined;
  }
  return UNDECIDED;
}

/** The first parse with main-country metadata, then the full one where the country decides. */
function possibleNumberParsed(digits: string): string | undefined {
  const quick = parseWith(`+${digits}`, mainCountryOnly);
  if (!quick) return undefined;
  const rule = codePlans.get(quick.countryCallingCode)?.shared;
  if (rule) {
    // Whether a national prefix written after the calling code is stripped depends on the country too.
    const national = digits.slice(quick.countryCallingCode.length);
    if (quick.nationalNumber !== national || rule.nationalPrefix?.test(national)) return possibleNumberSlow(digits);
    const length = quick.nationalNumber.length;
    if (!rule.any.has(length)) return undefined;
    if (!rule.all.has(length)) return possibleNumberSlow(digits);
  }
  return quick.isPossible() ? quick.number.slice(1) : undefined;
}

/** The plain libphonenumber-js answer (what `possibleNumber` must equal). */
export function possibleNumberSlow(digits: string): string | undefined {
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isPossible() ? parsed.number.slice(1) : undefined;
}
