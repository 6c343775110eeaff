/** Keeping media objects: store with Meta's lifetimes, look up while alive. */
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../context.js';
import { freshId } from '../assets/create-assets.js';
import type { Media } from './media.js';

const DAY_MS = 24 * 3_600_000;
export const UPLOAD_LIFETIME_MS = 30 * DAY_MS;
export const INBOUND_LIFETIME_MS = 7 * DAY_MS;

export function storeMedia(
  ctx: EmulatorContext,
  input: { phoneNumberId: string; data: Buffer; mimeType: string; filename?: string; origin: Media['origin'] },
): Media {
  const now = ctx.clock.now();
  const media: Media = {
    id: freshId(ctx.state),
    phoneNumberId: input.phoneNumberId,
    mimeType: input.mimeType,
    sha256: createHash('sha256').update(input.data).digest('hex'),
    fileSize: input.data.length,
    data: input.data,
    origin: input.origin,
    createdAt: now,
    expiresAt: now + (input.origin === 'upload' ? UPLOAD_LIFETIME_MS : INBOUND_LIFETIME_MS),
    ...(input.filename !== undefined ? { filename: input.filename } : {}),
  };
  ctx.state.media.set(media.id, media);
  return media;
}

/** The media object if it exists and has not expired (an expired one is forgotten). */
export function liveMedia(ctx: EmulatorContext, id: string): Media | undefined {
  const media = ctx.state.media.get(id);
  if (media && media.expiresAt <= ctx.clock.now()) {
    ctx.state.media.delete(id);
    return undefined;
  }
  return media;
}
