// `npm run load -- <scenario> [--rate N] [--duration S] [--vus N] [--target native|compose]`
// and `npm run chaos -- <scenario> (--faults <schedule> | --short) [load options]`:
// runs one scenario from load-tests/scenarios against a fresh stack (tools/load.sh brings the
// infrastructure up; the services are started here on empty databases, as the demo does),
// shows progress, runs the invariant verifiers, prints a summary, writes the run's JSON and
// its HTML page to load-tests/results/runs/ and exits 1 when a threshold failed (2 on a bad
// command line). A chaos run plays a fault schedule against the traffic (load-tests/src/chaos),
// heals every fault by the end, records each window and judges the chaos thresholds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ENDPOINTS_FILE,
  START_ORDER,
  findWorkspaceRoot,
  parseEndpointsFile,
  running,
} from '@suite/testing';
import { readFileSync } from 'node:fs';
import { ComposeFaults } from '../chaos/compose-faults';
import { FaultRunner } from '../chaos/fault-runner';
import { measureFaults } from '../chaos/fault-outcome';
import { LinkProxies } from '../chaos/links';
import {
  FAULT_HELP,
  lastFaultEndS,
  linksOf,
  parseSchedule,
  type ScheduledFault,
} from '../chaos/schedule';
import { SHORT_RUN } from '../chaos/short-run';
import { SCENARIOS } from '../../scenarios';
import { GatewayClient } from '../lib/gateway-client';
import { totalOf, verifyRun, withRunDatabases } from '../lib/verify-run';
import { composeTarget, nativeTarget, type DemoTarget } from '../demo/targets';
import { htmlPathFor, renderHtmlReport } from '../report/html-report';
import { MemorySampler } from '../report/memory-sampler';
import { parseLoadArgs, UsageError, type LoadArgs } from './args';
import { realClock } from './clock';
import { runClosed, runOpen, type Iteration } from './engine';
import { buildReport, formatReport, progressLine } from './report';
import { IterationClient, type Scenario } from './scenario';
import { reshape, stageWindows, totalDurationS, type LoadModel } from './stages';
import { memoryGrowth } from './memory-growth';
import { evaluateThresholds, validateThresholds } from './thresholds';

const ROOT = findWorkspaceRoot(__dirname);
const PROGRESS_EVERY_MS = 5_000;
const GRACEFUL_STOP_MS = 30_000;
// After the traffic: the sagas' time to finish, and the relays' time to publish.
const SETTLE_DEADLINE_MS = 60_000;
const OUTBOX_SETTLE_MS = 10_000;

function describeLoad(load: LoadModel): string {
  if (load.model === 'closed') {
    return `closed: ${load.vus} users for ${load.durationS} s${load.iterations ? ` or ${load.iterations} iterations` : ''}${load.thinkTimeMs ? `, ${load.thinkTimeMs} ms think time` : ''}`;
  }
  const stages = stageWindows(load.stages)
    .map((w) => {
      const rate = (n: number) => +n.toFixed(2);
      return `${w.from === w.to ? rate(w.from) : `${rate(w.from)}→${rate(w.to)}`}/s for ${+((w.endMs - w.startMs) / 1000).toFixed(1)} s`;
    })
    .join(', then ');
  return `open: ${stages} (at most ${load.maxInFlight} in flight)`;
}

export type Command = 'load' | 'chaos';

function usage(command: Command): string {
  return [
    command === 'load'
      ? 'usage: npm run load -- <scenario> [--rate N] [--duration S] [--vus N] [--target native|compose]'
      : 'usage: npm run chaos -- <scenario> (--faults <schedule> | --short) [--rate N] [--duration S] [--vus N] [--target native|compose]',
    '',
    ...(command === 'chaos'
      ? [
          '  --faults        a list of <fault>@<at>s[+<for>s], e.g.',
          '                  kill:ticketing@10+5,pause:payments@20+8,redis-restart@30,latency:redis=200ms@40+10',
          '                  or, with --target compose: pause:ticketing-1@10+12,partition:ticketing-1/redis@30+8',
          `  --short         the smoke: ${SHORT_RUN.durationS} s at ${SHORT_RUN.rate}/s with one window of each fault:`,
          `                  ${SHORT_RUN.faults.split(',').join(' ')}`,
          '',
          'faults (each heals at the end of its window and when the run stops, Ctrl-C included):',
          ...FAULT_HELP.map((line) => `  ${line}`),
          '',
        ]
      : []),
    '  --rate N        open model: the peak arrival rate per second (every stage scaled alike)',
    "  --duration S    the run's length in seconds (every stage stretched alike)",
    '  --vus N         closed model: the number of virtual users',
    '  --target        native (default: services as local processes, started on empty',
    '                  databases) or compose (the compose stack, already up)',
    '',
    'scenarios (defaults):',
    ...Object.values(SCENARIOS).flatMap((s) => [
      `  ${s.name.padEnd(18)} ${s.description}`,
      `  ${''.padEnd(18)} ${describeLoad(s.load)}, ${totalDurationS(s.load)} s`,
      `  ${''.padEnd(18)} thresholds: ${Object.entries(
        (command === 'chaos' && s.chaosThresholds) || s.thresholds,
      )
        .map(([metric, conditions]) => `${metric} ${(conditions ?? []).join(' ')}`)
        .join('; ')}`,
    ]),
  ].join('\n');
}

function loadFor(scenario: Scenario<unknown>, args: LoadArgs): LoadModel {
  const { load } = scenario;
  if (load.model === 'open') {
    if (args.vus !== undefined)
      throw new UsageError(`${scenario.name} is an open model: --vus does not apply, use --rate`);
    return reshape(load, {
      ...(args.rate === undefined ? {} : { rate: args.rate }),
      ...(args.durationS === undefined ? {} : { durationS: args.durationS }),
    });
  }
  if (args.rate !== undefined)
    throw new UsageError(`${scenario.name} is a closed model: --rate does not apply, use --vus`);
  return {
    ...load,
    ...(args.vus === undefined ? {} : { vus: args.vus }),
    ...(args.durationS === undefined ? {} : { durationS: args.durationS }),
  };
}

// A chaos run's schedule, checked against the traffic it is played over.
function scheduleFor(command: Command, args: LoadArgs, load: LoadModel): ScheduledFault[] {
  if (command === 'load') {
    if (args.faults !== undefined || args.short)
      throw new UsageError('faults are for `npm run chaos`, not `npm run load`');
    return [];
  }
  if (args.short && args.target !== 'native')
    throw new UsageError('--short is the native stack smoke; on compose, write --faults');
  if (args.faults !== undefined && args.short)
    throw new UsageError('--short has its own schedule: drop --faults or --short');
  const text = args.short ? SHORT_RUN.faults : args.faults;
  if (text === undefined)
    throw new UsageError('name a fault schedule: --faults <schedule> or --short');
  const schedule = parseSchedule(text, args.target);
  const durationS = totalDurationS(load);
  const late = schedule.find((f) => f.atS >= durationS);
  if (late) {
    throw new UsageError(
      `${late.name}@${late.atS}: the traffic lasts ${durationS} s; start every fault before that`,
    );
  }
  if (lastFaultEndS(schedule) > durationS)
    console.log(
      `note: a fault window outlasts the ${durationS} s of traffic; it heals when the run ends`,
    );
  return schedule;
}

// `--check` first: only judge the command line (tools/load.sh asks before it starts anything).
export async function runCommand(command: Command, argv: readonly string[]): Promise<number> {
  const checkOnly = argv[0] === '--check';
  if (checkOnly) argv = argv.slice(1);
  let args: LoadArgs;
  let load: LoadModel;
  let scenario: Scenario<unknown>;
  let schedule: ScheduledFault[];
  try {
    const parsed = parseLoadArgs(argv, Object.keys(SCENARIOS));
    if (parsed.help) {
      console.log(usage(command));
      return 0;
    }
    args = parsed.args;
    if (command === 'chaos' && args.short) {
      args = {
        ...args,
        durationS: args.durationS ?? SHORT_RUN.durationS,
        ...(SCENARIOS[args.scenario]?.load.model === 'open'
          ? { rate: args.rate ?? SHORT_RUN.rate }
          : {}),
      };
    }
    scenario = SCENARIOS[args.scenario] as Scenario<unknown>;
    load = loadFor(scenario, args);
    validateThresholds(scenario.thresholds);
    if (scenario.chaosThresholds) validateThresholds(scenario.chaosThresholds);
    schedule = scheduleFor(command, args, load);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(
      `npm run ${command}: ${error.message}\n(npm run ${command} -- --help lists the scenarios and options)`,
    );
    return 2;
  }
  if (checkOnly) return 0;
  const chaos = command === 'chaos';
  const thresholdsToJudge = (chaos && scenario.chaosThresholds) || scenario.thresholds;

  // The links the schedule touches go through toxiproxy: every service is pointed at them.
  const links = linksOf(schedule);
  let proxies: LinkProxies | undefined;
  if (links.length > 0) {
    const infra = Object.fromEntries(
      Object.entries(parseEndpointsFile(readFileSync(join(ROOT, ENDPOINTS_FILE), 'utf8'))).filter(
        (e): e is [string, string] => e[1] !== undefined,
      ),
    );
    const toxiproxy = infra['TOXIPROXY_URL'];
    if (!toxiproxy)
      throw new Error(`no TOXIPROXY_URL in ${ENDPOINTS_FILE}: run \`npm run infra:up\``);
    proxies = new LinkProxies(toxiproxy, infra);
    await proxies.open(links);
    console.log(`through toxiproxy for this run: ${links.join(', ')}`);
  }

  // A compose run's faults act on containers: each named replica must be running.
  const compose =
    args.target === 'compose' && schedule.length > 0 ? new ComposeFaults() : undefined;
  const problems = (await compose?.check(schedule)) ?? [];
  if (problems.length > 0) {
    for (const problem of problems) console.error(`npm run ${command}: ${problem}`);
    return 2;
  }

  const started = new Date();
  const target: DemoTarget =
    args.target === 'compose'
      ? composeTarget('compose')
      : await (async () => {
          console.log('starting the services on empty databases:');
          const through = proxies?.overrides() ?? {};
          return nativeTarget({
            ...through,
            ticketing: { ...through.ticketing, ...scenario.services?.ticketing },
          });
        })();
  const client = new GatewayClient(target.gatewayUrl, target.userToken);
  const state = await scenario.setup(target, client);

  console.log(
    `\n${scenario.name} against ${target.name} (${target.gatewayUrl}): ${describeLoad(load)}`,
  );
  // The native services' pids are known: their memory is sampled while the traffic runs.
  const memory =
    target.name === 'native'
      ? new MemorySampler(() =>
          START_ORDER.flatMap((service) => {
            const entry = running(service);
            return entry ? [{ service, pid: entry.pid }] : [];
          }),
        ).start()
      : undefined;
  const runStarted = new Date();
  const iteration: Iteration = (ctx) =>
    scenario.iteration(
      state,
      new IterationClient(target.gatewayUrl, target.userToken, ctx, scenario.expect ?? {}),
      ctx,
    );
  const options = {
    clock: realClock,
    progressEveryMs: PROGRESS_EVERY_MS,
    gracefulStopMs: GRACEFUL_STOP_MS,
    onProgress: (recorder: Parameters<typeof progressLine>[0], elapsedMs: number) =>
      console.log(progressLine(recorder, elapsedMs, PROGRESS_EVERY_MS / 1000)),
  };
  const faults = new FaultRunner(schedule, proxies, undefined, compose);
  // Ctrl-C heals first: paused services go on at once, the rest before the process ends.
  const onInterrupt = () => {
    console.error('\ninterrupted: healing every open fault before exiting');
    faults.continuePaused();
    void faults.stop().finally(() => process.exit(130));
  };
  if (chaos) process.once('SIGINT', onInterrupt);
  let result: Awaited<ReturnType<typeof runOpen>>;
  let faultRecords: Awaited<ReturnType<FaultRunner['stop']>> = [];
  try {
    if (chaos) faults.start(Date.now());
    result =
      load.model === 'open'
        ? await runOpen(load, iteration, options)
        : await runClosed(load, iteration, options);
  } finally {
    faultRecords = await faults.stop();
    process.removeListener('SIGINT', onInterrupt);
  }
  const memorySeries = memory?.stop(result.startMs) ?? [];

  console.log('traffic done; running the verifiers (the sagas settle first)');
  const verification = await withRunDatabases(target.databases, (db) =>
    verifyRun(db, {
      kafkaBrokers: target.kafkaBrokers,
      since: started,
      settleDeadlineMs: SETTLE_DEADLINE_MS,
      outboxSettleMs: OUTBOX_SETTLE_MS,
      ticketPriceMinor: scenario.ticketPriceMinor?.(state) ?? 0,
    }),
  );

  const seconds = result.recorder.perSecond();
  const sum = (pick: (s: (typeof seconds)[number]) => number) =>
    seconds.reduce((n, s) => n + pick(s), 0);
  const growth = memoryGrowth(memorySeries, (result.endMs - result.startMs) / 2000);
  if (Object.keys(growth).length > 0) {
    const each = Object.entries(growth).map(([service, mib]) => `${service} ${mib.toFixed(2)}`);
    console.log(`memory growth over the run's second half, MiB/min: ${each.join(', ')}`);
  }
  const thresholds = evaluateThresholds(thresholdsToJudge, {
    ...result.recorder.forThresholds(),
    requestsTotal: sum((s) => s.requests),
    errorsTotal: sum((s) => s.errors),
    scheduled: sum((s) => s.scheduled),
    dropped: sum((s) => s.dropped),
    violations: totalOf(verification.violations),
    outcomes: result.recorder.outcomes,
    completed: sum((s) => s.completed),
    memoryGrowth: growth,
  });
  const report = buildReport({
    scenario: scenario.name,
    description: scenario.description,
    target: target.name,
    startedAt: runStarted,
    load,
    result,
    thresholds,
    verifiers: {
      ran: true,
      violations: verification.violations,
      details: {
        seatsSold: verification.seatsSold,
        tickets: verification.tickets,
        capturedMinor: verification.captured,
        refundedMinor: verification.refunded,
        sagas: verification.sagas,
        settledInS: verification.settledInS,
      },
    },
    memory: memorySeries,
    ...(chaos
      ? {
          faults: measureFaults(
            faultRecords,
            seconds,
            Object.values(verification.violations).every((n) => n === 0),
          ),
        }
      : {}),
  });
  // A fault that could not be injected or healed fails the run: it did not test what it said.
  const faultFailures = (report.faults ?? []).filter((f) => f.error !== undefined);
  console.log(formatReport(report));
  const dir = join(ROOT, 'load-tests/results/runs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${scenario.name}-${runStarted.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const page = htmlPathFor(file);
  writeFileSync(page, renderHtmlReport(report));
  console.log(`\nreport: ${file}`);
  console.log(
    `sagas ${JSON.stringify(verification.sagas)}; seats sold ${verification.seatsSold}, tickets ${verification.tickets}`,
  );
  if (target.name === 'native')
    console.log('The services are still running; `npm run services:stop` stops them.');
  for (const failed of thresholds.filter((t) => !t.passed)) {
    console.error(
      `threshold failed: ${failed.metric}: ${failed.condition} (actual ${failed.actual ?? failed.reason})`,
    );
  }
  for (const failed of faultFailures)
    console.error(`fault failed: ${failed.name}: ${failed.error}`);
  console.log(`\npage: ${page}`);
  return report.passed && faultFailures.length === 0 ? 0 : 1;
}

export function exitWith(command: Command): void {
  runCommand(command, process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    });
}

if (require.main === module) exitWith('load');
