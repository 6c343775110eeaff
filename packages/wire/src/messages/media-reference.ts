/** A media object in a send: exactly one of an uploaded media `id` or an http(s) `link`. */
import { requiredError, valueError } from './check-schema.js';

export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname.length > 0;
  } catch {
    return false;
  }
}

export function checkMediaReference(media: { id?: string; link?: string }, path: string): void {
  if (media.id === undefined && media.link === undefined) throw requiredError(`${path}['id'] or ${path}['link']`);
  if (media.id !== undefined && media.link !== undefined) {
    throw valueError(`Param ${path} must have either 'id' or 'link', not both.`);
  }
  if (media.id !== undefined && !/^\d{1,32}$/.test(media.id)) throw valueError(`Param ${path}['id'] is not a valid media id.`);
  if (media.link !== undefined && !isHttpUrl(media.link)) {
    throw valueError(`Param ${path}['link'] must be a valid URL starting with http:// or https://.`);
  }
}
