import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { machineCpuMs, processCpuMs, processTreeCpuMs } from './process-cpu';

// Spins until this process has used `ms` of CPU (not of wall time: the machine may be busy).
const cpuUsed = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const burn = (ms: number) => {
  const until = cpuUsed() + ms;
  while (cpuUsed() < until) Math.sqrt(Math.random());
};
// /proc counts in ticks of 10 ms.
const TICK = 10;

describe('CPU time from /proc', () => {
  it("counts this process's work and the machine's", () => {
    const own = processCpuMs(process.pid);
    const machine = machineCpuMs();
    burn(300);
    expect(processCpuMs(process.pid) - own).toBeGreaterThanOrEqual(300 - 2 * TICK);
    const after = machineCpuMs();
    expect(after.busy - machine.busy).toBeGreaterThanOrEqual(300 - 2 * TICK);
    expect(after.total).toBeGreaterThan(machine.total);
  });

  it("adds a child's time, once reaped, to its parent's tree, and 0 for a gone pid", async () => {
    const before = processTreeCpuMs(process.pid);
    const child = spawn(process.execPath, [
      '-e',
      `const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
       while (used() < 400) Math.sqrt(Math.random());`,
    ]);
    await once(child, 'exit');
    expect(processTreeCpuMs(process.pid) - before).toBeGreaterThanOrEqual(400 - 2 * TICK);
    expect(processCpuMs(child.pid ?? 0)).toBe(0);
  });
});
