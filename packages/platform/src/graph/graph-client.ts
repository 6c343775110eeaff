/**
 * The one way the platform calls Meta's Graph API: a keep-alive connection pool, timeouts, and
 * every answer classified so callers can tell what happened to the request:
 * - ok: Meta accepted it;
 * - error: Meta answered with an error body (retryable or not, from the wire catalogue);
 * - unsent: the connection failed before the request left (safe to retry: nothing was sent);
 * - unknown: the request left but no answer came (timeout, reset): it may or may not have been
 *   acted on, so a retry may duplicate it and is counted as such.
 */
import { Agent, type Dispatcher } from 'undici';
import { errorSpec, ErrorCode, GraphError, type GraphErrorBody } from '@switchboard/wire';

export type GraphOutcome =
  | { kind: 'ok'; status: number; body: Record<string, unknown> }
  | { kind: 'error'; status: number; error: GraphErrorBody['error']; retryable: boolean }
  | { kind: 'unsent'; reason: string }
  | { kind: 'unknown'; reason: string };

export interface GraphRequest {
  token: string;
  json?: unknown;
  query?: Record<string, string | undefined>;
  /** A raw body (multipart uploads) with its content type. */
  raw?: { body: Buffer | NodeJS.ReadableStream; contentType: string };
  timeoutMs?: number;
}

const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export class GraphClient {
  readonly #agent: Agent;

  constructor(
    readonly baseUrl: string,
    readonly version: string,
    private readonly timeoutMs = 15_000,
    connections = 128,
  ) {
    this.#agent = new Agent({ connections, keepAliveTimeout: 30_000, pipelining: 1, connect: { timeout: 5_000 } });
  }

  url(path: string, query?: Record<string, string | undefined>): string {
    const u = new URL(`${this.baseUrl}/${this.version}/${path.replace(/^\//, '')}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
    return u.toString();
  }

  async request(method: Dispatcher.HttpMethod, path: string, req: GraphRequest): Promise<GraphOutcome> {
    const headers: Record<string, string> = { authorization: `Bearer ${req.token}` };
    let body: Dispatcher.DispatchOptions['body'];
    if (req.raw) {
      headers['content-type'] = req.raw.contentType;
      body = req.raw.body as Dispatcher.DispatchOptions['body'];
    } else if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    }
    const timeout = req.timeoutMs ?? this.timeoutMs;
    let status: number;
    let text: string;
    try {
      const response = await this.#agent.request({
        origin: new URL(this.baseUrl).origin,
        path: new URL(this.url(path, req.query)).pathname + new URL(this.url(path, req.query)).search,
        method,
        headers,
        body,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const reason = `${code || 'error'}: ${err instanceof Error ? err.message : String(err)}`;
      return UNSENT_CODES.has(code) ? { kind: 'unsent', reason } : { kind: 'unknown', reason };
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (status >= 200 && status < 300 && parsed && typeof parsed === 'object') {
      return { kind: 'ok', status, body: parsed as Record<string, unknown> };
    }
    const error = (parsed as Partial<GraphErrorBody> | undefined)?.error;
    if (error && typeof error.code === 'number') {
      const retryable = status >= 500 || status === 429 || errorSpec(error.code).retryable || error.is_transient === true;
      return { kind: 'error', status, error, retryable };
    }
    // An answer that is not Meta's shape (a proxy's 502 page, say): retry 5xx, fail the rest.
    return {
      kind: 'error',
      status,
      error: { message: `HTTP ${status} from Graph API`, type: 'OAuthException', code: status >= 500 ? ErrorCode.ApiService : ErrorCode.ApiUnknown, fbtrace_id: '' },
      retryable: status >= 500 || status === 429,
    };
  }

  /** For pass-through calls: the body on success, a GraphError (Meta's own) otherwise. */
  async call(method: Dispatcher.HttpMethod, path: string, req: GraphRequest): Promise<Record<string, unknown>> {
    const outcome = await this.request(method, path, req);
    if (outcome.kind === 'ok') return outcome.body;
    if (outcome.kind === 'error') {
      return Promise.reject(
        new GraphError(outcome.error.code, {
          message: outcome.error.message,
          http: outcome.status,
          type: outcome.error.type,
          ...(outcome.error.error_subcode !== undefined ? { subcode: outcome.error.error_subcode } : {}),
          ...(outcome.error.error_data?.details !== undefined ? { details: outcome.error.error_data.details } : {}),
          ...(outcome.error.error_user_title !== undefined ? { userTitle: outcome.error.error_user_title } : {}),
          ...(outcome.error.error_user_msg !== undefined ? { userMessage: outcome.error.error_user_msg } : {}),
        }),
      );
    }
    return Promise.reject(
      new GraphError(ErrorCode.ApiService, { message: 'Meta could not be reached; try again.', details: outcome.reason, http: 503 }),
    );
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}
