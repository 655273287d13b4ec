// The short chaos smoke (`npm run chaos -- flash-sale --short`): one short window of each
// native fault, one after the other with time to recover between them, over a bounded run.
export const SHORT_RUN = {
  durationS: 170,
  rate: 10,
  faults: [
    'kill:ticketing@10+5',
    'pause:payments@30+6',
    'latency:redis=150ms@40+5',
    'timeout:redis@52+3',
    'reset:postgres@62+3',
    'bandwidth:postgres=50@72+5',
    'redis-restart@85',
    'postgres-restart@100',
    'kafka-restart@120',
  ].join(','),
} as const;
