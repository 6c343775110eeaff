import { describe, expect, it } from 'vitest';
import { priceOf } from './pricing.js';
import { FREE_ENTRY_POINT_MS, SERVICE_WINDOW_MS, windowsAt } from './service-window.js';

const T0 = Date.parse('2025-09-01T12:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const none = { lastInboundAt: null, fepExpiresAt: null, referralAt: null };

describe('windowsAt', () => {
  it('keeps the service window open while now − last < 24 h, like the emulator', () => {
    const times = { ...none, lastInboundAt: at(0) };
    expect(windowsAt(times, T0 + SERVICE_WINDOW_MS - 1).service).toEqual({ open: true, expiresAt: at(SERVICE_WINDOW_MS) });
    expect(windowsAt(times, T0 + SERVICE_WINDOW_MS).service.open).toBe(false);
    expect(windowsAt(none, T0).service).toEqual({ open: false, expiresAt: null });
  });

  it('opens a free-entry-point window with a reply within 24 h of a referral, from the reply', () => {
    const times = { ...none, lastInboundAt: at(0), referralAt: at(0) };
    const reply = T0 + 10 * 3_600_000;
    expect(windowsAt(times, reply)).toMatchObject({ opensFreeEntryPoint: true, freeEntryPoint: { open: true, expiresAt: new Date(reply + FREE_ENTRY_POINT_MS) } });
    expect(windowsAt(times, T0 + 24 * 3_600_000).opensFreeEntryPoint).toBe(false);
    const open = { ...times, referralAt: null, fepExpiresAt: new Date(reply + FREE_ENTRY_POINT_MS) };
    expect(windowsAt(open, reply + FREE_ENTRY_POINT_MS - 1)).toMatchObject({ opensFreeEntryPoint: false, freeEntryPoint: { open: true } });
    expect(windowsAt(open, reply + FREE_ENTRY_POINT_MS).freeEntryPoint.open).toBe(false);
  });
});

describe('priceOf', () => {
  it('prices as Meta does under per-message pricing', () => {
    expect(priceOf('service', true, false)).toMatchObject({ billable: false, type: 'free_customer_service', category: 'service' });
    expect(priceOf('utility', true, false)).toMatchObject({ billable: false, type: 'free_customer_service', category: 'utility' });
    expect(priceOf('utility', false, false)).toMatchObject({ billable: true, type: 'regular', category: 'utility' });
    expect(priceOf('marketing', true, false)).toMatchObject({ billable: true, type: 'regular' });
    expect(priceOf('authentication', false, true)).toMatchObject({ billable: false, type: 'free_entry_point', category: 'referral_conversion' });
  });
});
