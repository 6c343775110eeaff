/**
 * Id formats: Graph object ids are numeric strings of 15-16 digits; message ids are "wamid."
 * followed by base64 of a small binary record holding the recipient and a random part, as Meta's are.
 */
import { randomBytes, randomInt } from 'node:crypto';

/** A numeric Graph id (WABA, phone number, template, media, business, app). */
export function newGraphId(): string {
  return String(randomInt(1, 10)) + String(randomInt(0, 1e8)).padStart(8, '0') + String(randomInt(0, 1e7)).padStart(7, '0');
}

// Random bytes drawn 4 KB at a time: one randomBytes call costs several microseconds, which on
// the send path (one wamid per message) was a fifth of the emulator's CPU per send.
const POOL_SIZE = 4_096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** `bytes` random bytes as upper-case hex, from a pool refilled from the CSPRNG. */
function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes).toUpperCase();
  poolOffset += bytes;
  return hex;
}

/** A message id in Meta's format for a recipient wa_id. */
export function newWamid(waId: string): string {
  const random = randomHex(10);
  const body = Buffer.concat([
    Buffer.from([0x1c, 0x18, waId.length]),
    Buffer.from(waId, 'latin1'),
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, random.length]),
    Buffer.from(random, 'latin1'),
    Buffer.from([0x00]),
  ]);
  return `wamid.${body.toString('base64')}`;
}

export function isWamid(id: string): boolean {
  return /^wamid\.[A-Za-z0-9+/=_-]{8,200}$/.test(id);
}

export const GRAPH_ID = /^\d{1,20}$/;
