// Soak: the mixed traffic at a steady rate for a long time (30 minutes unless --duration says
// otherwise), with each native service's resident memory sampled once a second. A service
// whose memory still grows in the second half of the run, after warm-up, fails the run: a
// leak shows as a slope that does not flatten, whatever its size.
import { defineScenario } from '../src/load/scenario';
import mixed from './mixed';

export default defineScenario({
  ...mixed,
  name: 'soak',
  description: 'the mixed traffic, steady for 30 minutes; fails on steady memory growth',
  load: { model: 'open', stages: [{ rate: 15, durationS: 1_800 }], maxInFlight: 300 },
  thresholds: {
    ...mixed.thresholds,
    // MiB per minute over the second half of the run: 1 is 15 MiB over 15 minutes.
    memory_growth: ['max<1'],
  },
});
