/**
 * Builds the benchmark's world over HTTP, as an operator and tenants would: sandboxes on the
 * emulator (fixtures), tenants and attached WABAs on the platform (operator API), and the
 * tenants' webhook receivers registered with Meta's own call (`POST /{waba-id}/subscribed_apps`).
 */

export interface Fixture {
  app_id: string;
  app_secret: string;
  access_token: string;
  business_id: string;
  waba_id: string;
  phone_number_id: string;
}

export interface Tenant {
  tenant_id: string;
  api_key: string;
}

async function json<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

function post(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** Runs `fn` over `items` with at most `concurrency` at once, in order of the items. */
export async function inBatches<T, R>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!, i);
    }),
  );
  return results;
}

export function createFixture(emulatorUrl: string, body: Record<string, unknown>): Promise<Fixture> {
  return post(`${emulatorUrl}/_emulator/fixtures`, body).then((r) => json<Fixture>(r, 'fixture'));
}

export function createTenant(platformUrl: string, operatorKey: string, name: string): Promise<Tenant> {
  return post(`${platformUrl}/api/v1/tenants`, { name }, operatorKey).then((r) => json<Tenant>(r, `tenant ${name}`));
}

export async function attachWaba(platformUrl: string, operatorKey: string, tenantId: string, fixture: Fixture): Promise<void> {
  await post(`${platformUrl}/api/v1/wabas`, { tenant_id: tenantId, waba_id: fixture.waba_id, access_token: fixture.access_token }, operatorKey).then(
    (r) => json(r, `attach WABA ${fixture.waba_id}`),
  );
}

/** The tenant's events of this WABA go to `url` (Meta's WABA-level override, verified by a handshake). */
export async function subscribeReceiver(platformUrl: string, apiKey: string, wabaId: string, url: string): Promise<void> {
  await post(`${platformUrl}/v23.0/${wabaId}/subscribed_apps`, { override_callback_uri: url, verify_token: 'bench' }, apiKey).then((r) =>
    json(r, `subscribe ${wabaId}`),
  );
}

/** Waits until `url` answers 200 (bounded). */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
