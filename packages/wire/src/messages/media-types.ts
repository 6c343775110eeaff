/**
 * Which files each media message type takes, and how large (reference §1.1.1 and §1.2). Used to
 * check uploads (131053 on a mismatch) and the media a message points at.
 */
import type { MediaMessageType } from './send-schemas.js';

export interface MediaTypeRule {
  mimeTypes: readonly string[];
  maxBytes: number;
}

const MB = 1024 * 1024;

export const MEDIA_RULES: Readonly<Record<MediaMessageType, MediaTypeRule>> = {
  image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  audio: { mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * MB },
  document: {
    mimeTypes: [
      'text/plain',
      'application/pdf',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
  },
  // Static stickers are capped at 100 KB and animated ones at 500 KB; the bytes alone do not
  // say which, so the larger cap applies.
  sticker: { mimeTypes: ['image/webp'], maxBytes: 500 * 1024 },
};

/** The largest file any media type accepts (documents). */
export const MAX_MEDIA_BYTES = 100 * MB;

/** "Audio/OGG; codecs=opus" → "audio/ogg". */
export function baseMimeType(mimeType: string): string {
  return mimeType.split(';', 1)[0]!.trim().toLowerCase();
}

/** The media message type a file of this MIME type is sent as, if any. */
export function mediaTypeOf(mimeType: string): MediaMessageType | undefined {
  const base = baseMimeType(mimeType);
  for (const [type, rule] of Object.entries(MEDIA_RULES) as Array<[MediaMessageType, MediaTypeRule]>) {
    if (rule.mimeTypes.includes(base)) return type;
  }
  return undefined;
}

/**
 * Whether a stored file can be sent as `type`: an image/webp is a sticker, not an image; a
 * document may be any supported file (Meta delivers images and videos as documents too).
 */
export function mediaFitsType(mimeType: string, type: MediaMessageType): boolean {
  const fileType = mediaTypeOf(mimeType);
  if (!fileType) return false;
  return fileType === type || type === 'document';
}
