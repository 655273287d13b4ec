// CPU time of processes and of the whole machine, from /proc (Linux, like the native stack):
// for the benchmarks that say where the cores went, per process, per request.
import { readdirSync, readFileSync } from 'node:fs';

// USER_HZ: the unit of /proc's CPU times, 100 on every Linux this project supports.
const TICKS_PER_SECOND = 100;
const tickMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: state is [0], ppid [1].
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

// User + system time of one process so far (0 once it is gone).
export function processCpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? tickMs(Number(f[11]) + Number(f[12])) : 0;
}

// A process and every live child: the children's time, plus the time of the children it has
// already reaped (cutime, cstime). Sampled twice, the difference counts a child that ended in
// between once: its last live sample moves into the parent's reaped time. For Postgres, whose
// postmaster forks a backend per connection.
export function processTreeCpuMs(pid: number): number {
  const own = statFields(pid);
  if (!own) return 0;
  let ms = tickMs(Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[1]) === pid) ms += tickMs(Number(f[11]) + Number(f[12]));
  }
  return ms;
}

// Busy and total CPU time of the machine, summed over its cores.
export function machineCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  // idle and iowait
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: tickMs(total - idle), total: tickMs(total) };
}
