/**
 * The one error type of both servers: a Meta error code plus what Meta puts beside it.
 * Thrown anywhere, rendered in Meta's shape in one place (runtime's HTTP frame).
 */
import { randomBytes } from 'node:crypto';
import { errorSpec } from './catalogue.js';

export interface GraphErrorOptions {
  /** error_data.details: what exactly was wrong, the field Meta says clients should branch on. */
  details?: string;
  /** Overrides the `message` (default: "(#code) title"). */
  message?: string;
  subcode?: number;
  /** Overrides the catalogue's HTTP status. */
  http?: number;
  type?: string;
  userTitle?: string;
  userMessage?: string;
  cause?: unknown;
}

/** Meta's synchronous error body. */
export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    error_user_title?: string;
    error_user_msg?: string;
    is_transient?: boolean;
    fbtrace_id: string;
  };
}

/** The error object inside webhooks (failed statuses, system errors, unsupported messages). */
export interface WebhookError {
  code: number;
  title: string;
  message: string;
  error_data?: { details: string };
  href?: string;
}

export class GraphError extends Error {
  readonly code: number;
  readonly status: number;
  readonly details: string | undefined;
  readonly subcode: number | undefined;
  readonly type: string;
  readonly userTitle: string | undefined;
  readonly userMessage: string | undefined;

  constructor(code: number, options: GraphErrorOptions = {}) {
    const spec = errorSpec(code);
    super(options.message ?? `(#${code}) ${spec.title}`, { cause: options.cause });
    this.name = 'GraphError';
    this.code = code;
    this.status = options.http ?? spec.http;
    this.details = options.details;
    this.subcode = options.subcode;
    this.type = options.type ?? 'OAuthException';
    this.userTitle = options.userTitle;
    this.userMessage = options.userMessage;
  }

  get retryable(): boolean {
    return errorSpec(this.code).retryable;
  }

  toBody(fbtraceId: string = newTraceId()): GraphErrorBody {
    return {
      error: {
        message: this.message,
        type: this.type,
        code: this.code,
        ...(this.subcode !== undefined ? { error_subcode: this.subcode } : {}),
        ...(this.details !== undefined ? { error_data: { messaging_product: 'whatsapp' as const, details: this.details } } : {}),
        ...(this.userTitle !== undefined ? { error_user_title: this.userTitle } : {}),
        ...(this.userMessage !== undefined ? { error_user_msg: this.userMessage } : {}),
        ...(errorSpec(this.code).retryable ? { is_transient: true } : {}),
        fbtrace_id: fbtraceId,
      },
    };
  }
}

/** A webhook error object for a code, as in failed statuses. */
export function webhookError(code: number, details?: string): WebhookError {
  const { title } = errorSpec(code);
  return {
    code,
    title,
    message: title,
    ...(details !== undefined ? { error_data: { details } } : {}),
    href: '/documentation/business-messaging/whatsapp/support/error-codes',
  };
}

/** Meta's fbtrace_id: 23 url-safe base64 characters. */
export function newTraceId(): string {
  return randomBytes(17).toString('base64url').slice(0, 23);
}
