/**
 * Opt-out and opt-in keywords, per language. A user message is a keyword when the whole message,
 * normalised, is one: "STOP", "stop!", "ＳＴＯＰ" (full width) and " 配信停止。" match; "Thanks,
 * 配信停止 not needed" does not — a keyword inside a sentence is too often not meant as one.
 * Normalisation: Unicode NFKC (full-width letters and digits to ASCII), upper case, punctuation
 * and symbols at either end dropped, inner white space collapsed.
 *
 * A tenant without keywords of its own gets DEFAULT_KEYWORDS; a tenant that sets its own replaces
 * them (copy the defaults it wants to keep). Confirmation replies are off unless the tenant sets
 * them.
 */

export interface KeywordLanguage {
  language: string;
  optOut: string[];
  optIn: string[];
  /** Sent back (as a text, inside the window the keyword opened) after an opt-out; null: nothing. */
  optOutReply: string | null;
  optInReply: string | null;
}

export const DEFAULT_KEYWORDS: readonly KeywordLanguage[] = [
  { language: 'en', optOut: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'OPT OUT', 'OPTOUT'], optIn: ['START', 'SUBSCRIBE', 'UNSTOP', 'OPT IN', 'OPTIN'], optOutReply: null, optInReply: null },
  { language: 'ja', optOut: ['停止', '配信停止', '配信解除', '購読解除'], optIn: ['開始', '配信開始', '配信再開', '購読'], optOutReply: null, optInReply: null },
  { language: 'zh', optOut: ['退订', '取消订阅', '退訂'], optIn: ['订阅', '訂閱'], optOutReply: null, optInReply: null },
  { language: 'es', optOut: ['BAJA', 'PARAR', 'CANCELAR SUSCRIPCION'], optIn: ['ALTA', 'SUSCRIBIR'], optOutReply: null, optInReply: null },
  { language: 'pt', optOut: ['PARAR', 'SAIR', 'CANCELAR INSCRICAO'], optIn: ['INICIAR', 'VOLTAR'], optOutReply: null, optInReply: null },
];

/** Longer messages are never keywords; checked before anything is looked up. */
export const MAX_KEYWORD_LENGTH = 64;

export function normaliseKeyword(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, '')
    .replace(/\s+/g, ' ');
}

export interface KeywordMatch {
  action: 'opt_out' | 'opt_in';
  language: string;
  keyword: string;
  reply: string | null;
}

/** The first language (in order) whose opt-out or opt-in list has the message; opt-out is checked first. */
export function matchKeyword(text: string, languages: readonly KeywordLanguage[]): KeywordMatch | undefined {
  if (text.length > MAX_KEYWORD_LENGTH * 4) return undefined;
  const said = normaliseKeyword(text);
  if (said === '' || said.length > MAX_KEYWORD_LENGTH) return undefined;
  for (const action of ['opt_out', 'opt_in'] as const) {
    for (const l of languages) {
      const keyword = (action === 'opt_out' ? l.optOut : l.optIn).find((k) => normaliseKeyword(k) === said);
      if (keyword !== undefined) return { action, language: l.language, keyword, reply: action === 'opt_out' ? l.optOutReply : l.optInReply };
    }
  }
  return undefined;
}
