// Preloaded into ticketing by the holds benchmark under HOLDS_BENCH_PROFILE=1 (NODE_OPTIONS
// --require): SIGUSR2 starts the CPU profiler, the next SIGUSR2 stops it and writes the
// profile to HOLDS_PROFILE_DIR/ticketing-<pid>-<n>.cpuprofile (n counts from 1). The benchmark brackets each scenario with the two signals,
// so a profile holds one scenario and nothing of start-up. `node --cpu-prof` is no use here:
// it writes only on a normal exit, and ticketing ends by re-raising SIGTERM.
'use strict';
const { Session } = require('node:inspector');
const { renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const session = new Session();
session.connect();
let profiling = false;
let written = 0;
process.on('SIGUSR2', () => {
  if (!profiling) {
    profiling = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
    return;
  }
  profiling = false;
  session.post('Profiler.stop', (error, result) => {
    const dir = process.env.HOLDS_PROFILE_DIR;
    if (error || !dir) return;
    const file = join(dir, `ticketing-${process.pid}-${++written}.cpuprofile`);
    // Renamed once complete, so the benchmark never reads half a file.
    writeFileSync(`${file}.partial`, JSON.stringify(result.profile));
    renameSync(`${file}.partial`, file);
  });
});
