import type Redis from 'ioredis';

// A Redis connection can stall without closing: a network partition drops packets but sends
// no reset, so the socket stays open and every command waits. When the path heals, the kernel
// only notices at its next retransmission, and retransmissions back off exponentially: after
// a 15 s partition the next one is about 10 s away, and the service answers nothing (or 503)
// for those 10 s although Redis is reachable again. A proxy that swallows data (toxiproxy's
// timeout toxic) is worse: the old connection never answers again.
//
// The watch sends a PING on a timer while the client is ready. A PING unanswered for
// `stalledAfterMs` means the connection is stalled: it is dropped and ioredis opens a new one
// (with its own retry strategy), which connects as soon as Redis is reachable. What was in
// flight on the dropped connection is handled as after any lost connection (ioredis resends
// or rejects it per its options); the watch adds no new outcome.
//
// The same holds for a new connection whose TCP handshake succeeded but whose first commands
// (ioredis' ready check, AUTH, SELECT) go unanswered: ioredis' connectTimeout only covers the
// TCP handshake, so such a connection would wait forever. It is replaced the same way.
//
// A late timer is not evidence: if this process's event loop was blocked, the answer may be
// waiting unread in the socket. A verdict is only given on a tick that fired on time.

export interface StalledConnectionWatch {
  // How often a probe is sent or judged.
  probeEveryMs: number;
  // How long a probe may go unanswered before the connection is replaced.
  stalledAfterMs: number;
  // Told each time a stalled connection is replaced (for a warning log and a metric).
  onStalled?: (unansweredMs: number) => void;
}

export const DEFAULT_STALL_WATCH: Readonly<StalledConnectionWatch> = {
  probeEveryMs: 500,
  stalledAfterMs: 2_000,
};

export function watchForStalledConnection(
  client: Redis,
  watch: StalledConnectionWatch = DEFAULT_STALL_WATCH,
): () => void {
  const { probeEveryMs, stalledAfterMs, onStalled } = watch;
  if (!(probeEveryMs > 0 && stalledAfterMs > probeEveryMs)) {
    throw new RangeError('stalledAfterMs must exceed probeEveryMs, and both be positive');
  }
  // The probe in flight: when it was sent, and on which connection (a reconnect makes it moot).
  let probe: { sentAt: number; generation: number } | undefined;
  let generation = 0;
  let lastTick = Date.now();
  // When the current connection's TCP handshake completed, until it is ready.
  let connectedAt: number | undefined;

  const onConnect = () => {
    connectedAt = Date.now();
  };
  const onReady = () => {
    generation++;
    probe = undefined;
    connectedAt = undefined;
  };
  client.on('connect', onConnect);
  client.on('ready', onReady);

  const replace = (unansweredMs: number) => {
    probe = undefined;
    connectedAt = undefined;
    onStalled?.(unansweredMs);
    // true: reconnect. The socket is destroyed; ioredis' close handler schedules the new one.
    client.disconnect(true);
  };

  const timer = setInterval(() => {
    const now = Date.now();
    const onTime = now - lastTick < probeEveryMs * 1.5;
    lastTick = now;
    if (client.status === 'connect' && connectedAt !== undefined) {
      if (onTime && now - connectedAt >= stalledAfterMs) replace(now - connectedAt);
      return;
    }
    if (client.status !== 'ready') return;
    if (probe === undefined) {
      const sent = { sentAt: now, generation };
      probe = sent;
      client.ping().then(
        () => {
          if (probe === sent) probe = undefined;
        },
        // A failed PING (the connection closed, a timeout) ends the probe; ioredis handles
        // the connection itself.
        () => {
          if (probe === sent) probe = undefined;
        },
      );
      return;
    }
    const unanswered = now - probe.sentAt;
    if (probe.generation === generation && onTime && unanswered >= stalledAfterMs) {
      replace(unanswered);
    }
  }, probeEveryMs);
  timer.unref();

  const stop = () => {
    clearInterval(timer);
    client.off('connect', onConnect);
    client.off('ready', onReady);
    client.off('end', stop);
  };
  client.on('end', stop);
  return stop;
}
