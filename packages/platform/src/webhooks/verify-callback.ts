/**
 * Meta's verification handshake, performed before a callback URL is stored (reference §2.1):
 * GET url?hub.mode=subscribe&hub.challenge=<random>&hub.verify_token=<token>, which must answer
 * 200 with the challenge as its body. Worded as the emulator (Meta's side) words a failure, so a
 * client sees the same answer from either.
 *
 * The timeout is real time, not the platform clock: it bounds how long a tenant's server may keep
 * the request waiting, which a virtual clock cannot speed up. The request goes through the tenant
 * URL guard (tenant-url-guard.ts): a URL whose address is not public fails the handshake, saying so.
 */
import { randomInt } from 'node:crypto';
import { ErrorCode, GraphError } from '@switchboard/wire';
import { request, type Dispatcher } from 'undici';
import { NotPublicAddressError, PlainHttpError } from './tenant-url-guard.js';

export const HANDSHAKE_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 4_096;

/** @param tenantHttp the guarded agent (tenant-url-guard.ts): it refuses the connection itself. */
export async function verifyCallback(tenantHttp: Dispatcher, callbackUrl: string, verifyToken: string, timeoutMs = HANDSHAKE_TIMEOUT_MS): Promise<void> {
  const url = new URL(callbackUrl);
  const challenge = String(randomInt(1, 2 ** 31 - 1));
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', verifyToken);
  let status = 0;
  let body = '';
  let problem = "couldn't connect to server";
  try {
    // undici's request() follows no redirects.
    const response = await request(url, {
      dispatcher: tenantHttp,
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      headers: { 'user-agent': 'Switchboard-Webhooks/1.0' },
    });
    status = response.statusCode;
    body = (await response.body.text()).slice(0, MAX_ANSWER_BYTES).trim();
  } catch (err) {
    if (err instanceof NotPublicAddressError || err instanceof PlainHttpError) problem = err.message;
    else if ((err as { name?: string }).name === 'TimeoutError') problem = `no answer within ${timeoutMs / 1000} s`;
  }
  if (status === 200 && body === challenge) return;
  throw new GraphError(ErrorCode.InvalidParameter, {
    message:
      '(#2200) Callback verification failed with the following errors: ' +
      (status === 0 ? problem : `HTTP Status Code = ${status}; HTTP Message = ${status === 200 ? 'challenge not echoed' : 'not OK'}`),
    details: 'The callback URL did not answer the verification request (hub.mode=subscribe) with the hub.challenge value.',
  });
}
