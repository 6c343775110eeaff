/**
 * Meta's verification handshake, performed before a callback URL is stored (reference §2.1):
 * GET url?hub.mode=subscribe&hub.challenge=<random>&hub.verify_token=<token>, which must answer
 * 200 with the challenge as its body. Worded as the emulator (Meta's side) words a failure, so a
 * client sees the same answer from either.
 *
 * The timeout is real time, not the platform clock: it bounds how long a tenant's server may keep
 * the request waiting, which a virtual clock cannot speed up.
 */
import { randomInt } from 'node:crypto';
import { ErrorCode, GraphError } from '@switchboard/wire';

export const HANDSHAKE_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 4_096;

export async function verifyCallback(callbackUrl: string, verifyToken: string, timeoutMs = HANDSHAKE_TIMEOUT_MS): Promise<void> {
  const url = new URL(callbackUrl);
  const challenge = String(randomInt(1, 2 ** 31 - 1));
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', verifyToken);
  let status = 0;
  let body = '';
  let problem = "couldn't connect to server";
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
      headers: { 'user-agent': 'Switchboard-Webhooks/1.0' },
    });
    status = response.status;
    body = (await response.text()).slice(0, MAX_ANSWER_BYTES).trim();
  } catch (err) {
    if ((err as { name?: string }).name === 'TimeoutError') problem = `no answer within ${timeoutMs / 1000} s`;
  }
  if (status === 200 && body === challenge) return;
  throw new GraphError(ErrorCode.InvalidParameter, {
    message:
      '(#2200) Callback verification failed with the following errors: ' +
      (status === 0 ? problem : `HTTP Status Code = ${status}; HTTP Message = ${status === 200 ? 'challenge not echoed' : 'not OK'}`),
    details: 'The callback URL did not answer the verification request (hub.mode=subscribe) with the hub.challenge value.',
  });
}
