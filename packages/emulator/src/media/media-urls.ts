/**
 * Download URLs of media objects, valid 5 minutes (reference §1.2). Shaped like Meta's lookaside
 * URLs (`…/whatsapp_business/attachments/?mid=…&ext=…&hash=…`) and signed with a per-process key,
 * so the expiry in the URL cannot be edited; the download still needs the bearer token.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Media } from './media.js';

export const MEDIA_URL_TTL_MS = 5 * 60_000;
export const MEDIA_DOWNLOAD_PATH = '/whatsapp_business/attachments';

export class MediaUrls {
  readonly #key = randomBytes(32);

  urlFor(baseUrl: string, media: Media, now: number): string {
    const ext = Math.floor((now + MEDIA_URL_TTL_MS) / 1_000);
    return `${baseUrl}${MEDIA_DOWNLOAD_PATH}/?mid=${media.id}&ext=${ext}&hash=${this.#sign(media.id, ext)}`;
  }

  /** The media id a download URL's query names, if its signature holds and it has not expired. */
  verify(query: Record<string, unknown>, now: number): string | undefined {
    const { mid, ext, hash } = query;
    if (typeof mid !== 'string' || typeof ext !== 'string' || typeof hash !== 'string' || !/^\d{1,12}$/.test(ext)) return undefined;
    const expected = Buffer.from(this.#sign(mid, Number(ext)));
    const given = Buffer.from(hash);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return now < Number(ext) * 1_000 ? mid : undefined;
  }

  #sign(mediaId: string, ext: number): string {
    return createHmac('sha256', this.#key).update(`${mediaId}.${ext}`).digest('base64url').slice(0, 32);
  }
}
