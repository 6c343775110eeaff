/**
 * Opt-out and opt-in keywords in messages from users, applied by the inbound processor in the
 * transaction that stores the message (so a keyword takes effect exactly once, with the message):
 * an opt-out keyword sets the contact FALSE, an opt-in keyword TRUE, with an audit row (source
 * keyword, actor the user, proof the message text). When the tenant configured a confirmation
 * for the keyword's language, a text reply is queued through the accept path's own SQL: it goes
 * out inside the window the message just opened, so it needs no template, is not marketing and
 * does not count against the messaging limit.
 *
 * A keyword older than the contact's last change (a message delivered late) changes nothing and
 * gets no reply.
 */
import type { TransactionSql } from 'postgres';
import { newWamid } from '@switchboard/wire';
import { insertAccepted } from '../messaging/sql/insert-accepted.js';
import { tenantKeywords } from './keyword-store.js';
import { matchKeyword, MAX_KEYWORD_LENGTH, normaliseKeyword, type KeywordMatch } from './keywords.js';
import { setSubscription, type ChangeOutcome } from './set-subscription.js';

export interface KeywordEffect extends KeywordMatch {
  outcome: ChangeOutcome;
  /** The platform wamid of the queued confirmation, if one was sent. */
  replyWamid?: string;
}

/**
 * @param at when the user sent the message (its timestamp)
 * @param now the platform clock's time
 */
export async function applyKeywords(
  tx: TransactionSql,
  tenantId: string,
  phoneNumberId: string,
  waId: string,
  text: string,
  at: Date,
  now: Date,
): Promise<KeywordEffect | undefined> {
  // Most messages are sentences: no need to read the tenant's keywords for them.
  if (text.length > MAX_KEYWORD_LENGTH * 4 || normaliseKeyword(text).length > MAX_KEYWORD_LENGTH) return undefined;
  const match = matchKeyword(text, (await tenantKeywords(tx, tenantId)).languages);
  if (!match) return undefined;
  const outcome = await setSubscription(tx, {
    tenantId,
    waId,
    subscription: match.action === 'opt_in',
    source: 'keyword',
    actor: `user:${waId}`,
    proof: text,
    at,
    now,
  });
  if (outcome === 'stale' || match.reply === null) return { ...match, outcome };
  const wamid = newWamid(waId);
  await insertAccepted(
    tx,
    [
      {
        wamid,
        tenantId,
        phoneNumberId,
        recipient: waId,
        type: 'text',
        body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: waId, type: 'text', text: { body: match.reply } },
        idempotencyKey: null,
        requestHash: null,
      },
    ],
    now,
  );
  return { ...match, outcome, replyWamid: wamid };
}

/**
 * What a user message says, for keyword matching: a text body, or a quick-reply button's text then
 * its payload (a template's "Stop promotions" button may carry STOP as its payload).
 */
export function keywordTexts(message: unknown): string[] {
  const m = message as {
    type?: unknown;
    text?: { body?: unknown };
    button?: { text?: unknown; payload?: unknown };
    interactive?: { button_reply?: { title?: unknown; id?: unknown } };
  };
  const texts =
    m.type === 'text'
      ? [m.text?.body]
      : m.type === 'button'
        ? [m.button?.text, m.button?.payload]
        : m.type === 'interactive'
          ? [m.interactive?.button_reply?.title, m.interactive?.button_reply?.id]
          : [];
  return texts.filter((t): t is string => typeof t === 'string' && t.length > 0);
}
