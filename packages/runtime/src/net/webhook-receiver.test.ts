/** The shared webhook endpoint skeleton, over real HTTP on loopback. */
import { describe, expect, it } from 'vitest';
import { startWebhookReceiver } from './webhook-receiver.js';

describe('startWebhookReceiver', () => {
  it('answers the handshake for accepted tokens, other GETs, and each POST with its handler’s status', async () => {
    const posts: string[] = [];
    let slow = false;
    const hook = await startWebhookReceiver({
      path: '/webhook',
      verify: (token) => token === 'right',
      onGet: (url) => ({ status: 200, contentType: 'application/json', body: JSON.stringify({ path: url.pathname }) }),
      onPost: ({ raw, headers }) => {
        posts.push(`${String(headers['x-test'])}:${raw.toString('utf8')}`);
        if (raw.toString('utf8') === 'fail') return Promise.reject(new Error('handler failed'));
        return slow ? new Promise((resolve) => setTimeout(() => resolve(202), 20)) : 503;
      },
    });
    try {
      expect(hook.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
      const handshake = (token: string) => fetch(`${hook.url}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=c-42`);
      const ok = await handshake('right');
      expect([ok.status, await ok.text()]).toEqual([200, 'c-42']);
      expect((await handshake('wrong')).status).toBe(403);
      expect(await (await fetch(`${hook.url}/events`)).json()).toEqual({ path: '/webhook/events' });

      const post = (body: string) => fetch(hook.url, { method: 'POST', body, headers: { 'x-test': 't' } }).then((r) => r.status);
      expect(await post('one')).toBe(503);
      slow = true;
      expect(await post('two')).toBe(202);
      expect(await post('fail')).toBe(500);
      expect(posts).toEqual(['t:one', 't:two', 't:fail']);
    } finally {
      await hook.close();
    }
  });
});
