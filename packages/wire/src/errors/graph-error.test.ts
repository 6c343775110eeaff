import { describe, expect, it } from 'vitest';
import { ErrorCode, errorCatalogue, errorSpec } from './catalogue.js';
import { GraphError, webhookError } from './graph-error.js';
import { unknownObject } from './common.js';

describe('error catalogue', () => {
  it('has one entry per named code, with HTTP statuses from the reference', () => {
    for (const code of Object.values(ErrorCode)) expect(errorCatalogue.has(code), String(code)).toBe(true);
    expect(errorSpec(190).http).toBe(401);
    expect(errorSpec(131047)).toMatchObject({ delivery: 'async', retryable: false });
    expect(errorSpec(130429)).toMatchObject({ retryable: true, http: 400 });
    expect(errorSpec(132001).http).toBe(404);
    expect(errorSpec(299)).toMatchObject({ http: 403, retryable: false });
  });
});

describe('GraphError', () => {
  it("renders Meta's error shape", () => {
    const body = new GraphError(ErrorCode.InvalidParameter, { details: 'Param text.body is required', subcode: 2494010 }).toBody(
      'AbCdEf',
    );
    expect(body).toEqual({
      error: {
        message: '(#100) Invalid parameter',
        type: 'OAuthException',
        code: 100,
        error_subcode: 2494010,
        error_data: { messaging_product: 'whatsapp', details: 'Param text.body is required' },
        fbtrace_id: 'AbCdEf',
      },
    });
  });

  it('marks transient errors and generates trace ids', () => {
    const body = new GraphError(ErrorCode.RateLimitHit).toBody();
    expect(body.error.is_transient).toBe(true);
    expect(body.error.fbtrace_id).toMatch(/^[A-Za-z0-9_-]{23}$/);
    expect(new GraphError(ErrorCode.RateLimitHit).retryable).toBe(true);
  });

  it('renders unknown objects like the Graph API', () => {
    const err = unknownObject('123');
    expect(err.toBody().error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
  });

  it('renders webhook error objects', () => {
    expect(webhookError(131047, 'outside window')).toEqual({
      code: 131047,
      title: 'Re-engagement message',
      message: 'Re-engagement message',
      error_data: { details: 'outside window' },
      href: '/documentation/business-messaging/whatsapp/support/error-codes',
    });
  });
});
