/**
 * The ceiling for one Node process: a bare `node:http` server answering the send request the
 * benchmark sends, with the same answer the platform gives (parse the JSON, check there is a bearer
 * token, answer the Cloud API's send response with a fresh id) and nothing else: no framework, no
 * validation, no database. Run as its own process; prints its URL and stops on SIGTERM.
 *
 *   npx tsx bench/bare-server.ts [port]
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let to = '';
    try {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to?: unknown };
      to = typeof parsed.to === 'string' ? parsed.to : '';
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":100}}');
      return;
    }
    if (!req.headers.authorization?.startsWith('Bearer ') || !req.url?.endsWith('/messages')) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":190}}');
      return;
    }
    const id = `wamid.${randomBytes(30).toString('base64')}`;
    res
      .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id, message_status: 'accepted' }] }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`bare server listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
