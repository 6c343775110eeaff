/**
 * Users who answer by themselves: when a message is delivered, the first scripted reply whose
 * `match` the message contains is sent back after its delay (default 1 s); failing that, an
 * autoReply (a fixed text, or "You said: <text>"). A scripted interactive reply without its
 * button_reply/list_reply taps the message's first button or row, and quotes it.
 */
import type { Message } from '../messaging/message.js';
import type { MessagingRuntime } from '../messaging/messaging-runtime.js';
import { receiveInbound } from './inbound.js';
import type { ScriptedMessage, SimUser } from './sim-user.js';

const DEFAULT_REPLY_DELAY_MS = 1_000;

export function scheduleReply(runtime: MessagingRuntime, user: SimUser, received: Message, at: number): void {
  const { settings } = user;
  if (settings.scriptedReplies.length === 0 && settings.autoReply === false) return;
  const text = textOf(received);
  const lowered = text.toLowerCase();
  const rule = settings.scriptedReplies.find((r) => r.match === undefined || lowered.includes(r.match.toLowerCase()));

  let reply: ScriptedMessage;
  let delayMs: number;
  if (rule) {
    if (rule.once) user.settings = { ...settings, scriptedReplies: settings.scriptedReplies.filter((r) => r !== rule) };
    reply = tapIfAsked(rule.reply, received);
    delayMs = rule.delayMs ?? DEFAULT_REPLY_DELAY_MS;
  } else if (settings.autoReply !== false) {
    reply = { type: 'text', text: { body: settings.autoReply.text ?? (text ? `You said: ${text}` : `Received your ${received.type} message.`) } };
    delayMs = settings.autoReply.delayMs ?? DEFAULT_REPLY_DELAY_MS;
  } else {
    return;
  }

  runtime.agenda.at(at + delayMs, (replyAt) => {
    try {
      receiveInbound(runtime, user.waId, { ...reply, phone_number_id: received.phoneNumberId }, replyAt);
    } catch (err) {
      // The number may have been deregistered meanwhile; the user's reply is then lost, as on WhatsApp.
      runtime.ctx.logger.debug({ err, waId: user.waId }, 'scripted reply not sent');
    }
  });
}

/** The words of a message a reply rule can match: text, caption, body, template name. */
function textOf(message: Message): string {
  const content = message.payload[message.type] as Record<string, unknown> | undefined;
  if (!content) return '';
  const words = message.type === 'template' ? content.name : message.type === 'interactive' ? (content.body as { text?: unknown } | undefined)?.text : (content.body ?? content.caption);
  return typeof words === 'string' ? words : '';
}

function tapIfAsked(reply: ScriptedMessage, received: Message): ScriptedMessage {
  const withContext = reply.context === undefined ? { ...reply, context: { message_id: received.id } } : reply;
  if (reply.type !== 'interactive' || received.type !== 'interactive') return reply.type === 'interactive' || reply.type === 'button' ? withContext : reply;
  const interactive = (reply.interactive ?? {}) as Record<string, unknown>;
  const sent = received.payload.interactive as { type?: string; action?: Record<string, unknown> };
  if (interactive.button_reply === undefined && sent.type === 'button') {
    const first = (sent.action?.buttons as Array<{ reply: { id: string; title: string } }> | undefined)?.[0];
    if (first) return { ...withContext, interactive: { type: 'button_reply', button_reply: { id: first.reply.id, title: first.reply.title } } };
  }
  if (interactive.list_reply === undefined && sent.type === 'list') {
    const sections = (sent.action?.sections ?? []) as Array<{ rows: Array<{ id: string; title: string; description?: string }> }>;
    const row = sections[0]?.rows[0];
    if (row) return { ...withContext, interactive: { type: 'list_reply', list_reply: { id: row.id, title: row.title, ...(row.description ? { description: row.description } : {}) } } };
  }
  return withContext;
}
