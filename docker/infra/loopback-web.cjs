// Preloaded into the crawler's container (NODE_OPTIONS=--require /app/lib/loopback-web.cjs).
// The crawler connects to 127.0.0.1 only, and sends every *.web.test page to
// 127.0.0.1:WEB_SIMULATOR_PORT (apps/crawler/src/frontier/infra/loopback-fetcher.ts). In a
// container that address is the container's own loopback, so this forwards that one port, and
// nothing else, to the web simulator's container (WEB_SIMULATOR_UPSTREAM, host:port on the
// compose network). The crawler's code is unchanged: it still never resolves a name or dials an
// address off 127.0.0.1; the only thing it can reach there is this port and its own API.
'use strict';

const net = require('node:net');

const listenPort = Number(process.env.WEB_SIMULATOR_PORT || 3007);
const upstream = process.env.WEB_SIMULATOR_UPSTREAM || 'web-simulator:3007';
const colon = upstream.lastIndexOf(':');
const upstreamHost = upstream.slice(0, colon);
const upstreamPort = Number(upstream.slice(colon + 1));
if (!upstreamHost || !Number.isInteger(upstreamPort) || upstreamPort <= 0) {
  console.error(`WEB_SIMULATOR_UPSTREAM must be host:port, not "${upstream}"`);
  process.exit(1);
}

const server = net.createServer((client) => {
  const remote = net.connect({ host: upstreamHost, port: upstreamPort });
  // Either side closing or failing closes both: a fetch that fails here fails in the crawler
  // as a refused or reset connection would, and is retried by it.
  const close = () => {
    client.destroy();
    remote.destroy();
  };
  for (const socket of [client, remote]) {
    socket.setNoDelay(true);
    socket.on('error', close);
    socket.on('close', close);
  }
  client.pipe(remote).pipe(client);
});
server.on('error', (error) => {
  console.error(`loopback-web: cannot listen on 127.0.0.1:${listenPort}: ${error.message}`);
  process.exit(1);
});
server.listen(listenPort, '127.0.0.1');
// It never keeps the process alive: the crawler's own stop ends it.
server.unref();
