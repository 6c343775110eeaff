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

const full = metadata as Json;
const plans = new Metadata(full);
const rules = new Map<string, LengthRule>();
const mainCountryOnly: Json = { ...full, country_calling_codes: {} };

for (const [code, countries] of Object.entries(full.country_calling_codes)) {
  mainCountryOnly.country_calling_codes[code] = countries.slice(0, 1);
  if (countries.length < 2) continue;
  const lengths = countries.map((c) => new Set(possibleLengths(c)));
  const any = new Set(lengths.flatMap((l) => [...l]));
  const all = new Set([...any].filter((n) => lengths.every((l) => l.has(n))));
  const prefix = nationalPrefixForParsing(countries[0]!);
  rules.set(code, { all, any, nationalPrefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined });
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
  const quick = parseWith(`+${digits}`, mainCountryOnly);
  if (!quick) return undefined;
  const rule = rules.get(quick.countryCallingCode);
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
