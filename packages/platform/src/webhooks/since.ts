/** `since`/`until` filters: an ISO 8601 time or Unix seconds; anything else is code 100. */
import { invalidParameter } from '@switchboard/wire';

export function parseTime(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d{1,12}$/.test(value) ? Number(value) * 1000 : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw invalidParameter(`Param ${name} must be an ISO 8601 time or Unix seconds.`);
  return new Date(ms);
}
