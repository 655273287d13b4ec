import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback HTTP listener that counts what reaches it and answers every request with
// `answer` (a webhook receiver, or one that redirects elsewhere).
export async function countingListener(answer: (res: ServerResponse) => void = (res) => res.end()) {
  const received: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push(raw ? JSON.parse(raw) : null);
      answer(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { received, origin, close: () => new Promise((r) => server.close(r)) };
}
