/**
 * Phone numbers to WhatsApp ids (E.164 digits without "+"), as Meta normalises the `to` field:
 * "+", "-", parentheses and spaces are accepted; without "+", the business number's country
 * calling code is prepended (Meta's documented rule) unless the digits already begin with it.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { possibleNumber } from './possible-number.js';

const ALLOWED = /^[+\d\s\-().]+$/;

/**
 * Returns the wa_id for a recipient, or undefined when it cannot be a phone number.
 * `businessCallingCode` is the sending number's country calling code (e.g. "1", "91").
 * Not cached: the common case costs well under a microsecond (possible-number.ts), less than a
 * cache would, and a cache of recipients only grows the heap the collector walks.
 */
export function toWaId(input: string, businessCallingCode?: string): string | undefined {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 40 || !ALLOWED.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 15) return undefined;
  if (trimmed.startsWith('+') || !businessCallingCode) return possibleNumber(digits);
  if (digits.startsWith(businessCallingCode)) {
    const international = possibleNumber(digits);
    if (international) return international;
  }
  return possibleNumber(businessCallingCode + digits) ?? possibleNumber(digits);
}

/** The country calling code of a wa_id or display number ("16505551234" → "1"). */
export function callingCode(waIdOrNumber: string): string | undefined {
  const digits = waIdOrNumber.replace(/\D/g, '');
  return parsePhoneNumberFromString(`+${digits}`)?.countryCallingCode;
}

/** Meta's display form of a number: "+1 631-555-5555". */
export function displayPhoneNumber(waId: string): string {
  return parsePhoneNumberFromString(`+${waId}`)?.formatInternational() ?? `+${waId}`;
}
