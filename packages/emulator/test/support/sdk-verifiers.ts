/**
 * Each SDK's own webhook signature check, run over the raw body and X-Hub-Signature-256 exactly as
 * an app using that SDK would run it. They differ in what they hash, which is the point:
 * - whatsapp-api-js re-escapes non-ASCII characters as \uXXXX before hashing (it assumes Meta's
 *   ASCII-only serialisation), so it only accepts bodies signed in that form;
 * - @kapso/whatsapp-cloud-api hashes the bytes given;
 * - @great-detail/whatsapp hashes the UTF-8 encoding of the body string (WebCrypto).
 */
import type { IncomingHttpHeaders } from 'node:http';
import GreatDetail from '@great-detail/whatsapp';
import { verifySignature as kapsoVerifySignature } from '@kapso/whatsapp-cloud-api/server';
import { WhatsAppAPI } from 'whatsapp-api-js';

export type VerifierName = 'whatsapp-api-js' | '@kapso/whatsapp-cloud-api' | '@great-detail/whatsapp';

export function signatureOf(headers: IncomingHttpHeaders): string {
  const signature = headers['x-hub-signature-256'];
  if (typeof signature !== 'string') throw new Error('the webhook POST has no X-Hub-Signature-256 header');
  return signature;
}

/** Whether each SDK's verifier accepts `raw` as signed with `secret`. */
export async function verifyWithEverySdk(raw: Buffer, headers: IncomingHttpHeaders, secret: string): Promise<Record<VerifierName, boolean>> {
  const signature = signatureOf(headers);
  const text = raw.toString('utf8');

  const whatsappApiJs = new WhatsAppAPI({ token: 'unused', appSecret: secret, v: 'v23.0' });
  const kapso = kapsoVerifySignature({ appSecret: secret, rawBody: raw, signatureHeader: signature });
  const stringHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
  const event = await new GreatDetail().webhook.eventNotification({ method: 'POST', query: {}, body: text, headers: stringHeaders });

  return {
    'whatsapp-api-js': await whatsappApiJs.verifyRequestSignature(text, signature),
    '@kapso/whatsapp-cloud-api': kapso,
    '@great-detail/whatsapp': await event.checkSignature(secret),
  };
}

/**
 * The inbound text messages whatsapp-api-js hands its `on.message` handler for one POST, after its
 * secure `post()` verified the signature (it throws when the signature does not match).
 */
export async function messagesSeenByWhatsappApiJs(raw: Buffer, headers: IncomingHttpHeaders, secret: string): Promise<Array<{ from: string; phoneID: string; text: string | undefined }>> {
  const sdk = new WhatsAppAPI({ token: 'unused', appSecret: secret, v: 'v23.0' });
  const seen: Array<{ from: string; phoneID: string; text: string | undefined }> = [];
  sdk.on.message = ({ from, phoneID, message }) => {
    seen.push({ from, phoneID, text: message.type === 'text' ? message.text.body : undefined });
  };
  const text = raw.toString('utf8');
  await sdk.post(JSON.parse(text), text, signatureOf(headers));
  return seen;
}
