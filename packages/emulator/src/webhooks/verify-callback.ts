/**
 * Meta's verification handshake, performed before a callback URL or override is accepted:
 * GET url?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…, which must answer 200 with the
 * challenge as the body.
 */
import { randomInt } from 'node:crypto';
import { ErrorCode, GraphError } from '@switchboard/wire';

export async function verifyCallback(callbackUrl: string, verifyToken: string, timeoutMs = 10_000): Promise<void> {
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    throw new GraphError(ErrorCode.InvalidParameter, { details: 'The callback URL is not a valid URL.' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GraphError(ErrorCode.InvalidParameter, { details: 'The callback URL must be http(s).' });
  }
  const challenge = String(randomInt(1, 2 ** 31 - 1));
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', verifyToken);
  let body = '';
  let status = 0;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'facebookplatform/1.0' } });
    status = response.status;
    body = (await response.text()).trim();
  } catch {
    status = 0;
  }
  if (status !== 200 || body !== challenge) {
    throw new GraphError(ErrorCode.InvalidParameter, {
      message: '(#2200) Callback verification failed with the following errors: ' +
        (status === 0 ? 'couldn\'t connect to server' : `HTTP Status Code = ${status}; HTTP Message = ${body === challenge ? 'OK' : 'challenge not echoed'}`),
      details: 'The callback URL did not answer the verification request with the challenge.',
    });
  }
}
