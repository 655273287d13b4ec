// `npm run chaos:matrix [-- --scenarios a,b] [--faults name,...] [--cells s:f,...] [--duration S]`:
// every scenario against every fault that applies to it (or the cells named), one chaos run
// each (services started afresh every time), then one markdown table of throughput,
// p50/p99, error rate, recovery, every verifier's count and the thresholds, written to
// load-tests/results/chaos-matrix-<date>.md above the runs already there.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from '../../scenarios';
import { runContext, workspaceRoot } from '../lib/results';
import { UsageError } from '../load/args';
import type { RunReport } from '../load/report';

// Each fault of the matrix, and the scenarios it applies to (those whose traffic crosses
// what it breaks): payments carries checkouts only; Kafka carries checkouts and auction
// closes; ticketing serves every scenario but the auctions.
const BUYS = ['flash-sale', 'checkout-storm', 'mixed'];
const TICKETING = (s: string) => s !== 'auction-close';
const FAULTS: { name: string; applies: (scenario: string) => boolean }[] = [
  { name: 'kill:ticketing', applies: TICKETING },
  { name: 'kill:auction', applies: (s) => s === 'auction-close' || s === 'mixed' },
  { name: 'pause:payments', applies: (s) => BUYS.includes(s) },
  { name: 'redis-restart', applies: () => true },
  { name: 'postgres-restart', applies: () => true },
  { name: 'kafka-restart', applies: (s) => BUYS.includes(s) || s === 'auction-close' },
  { name: 'latency:redis=200ms', applies: () => true },
  { name: 'timeout:redis', applies: () => true },
  { name: 'reset:postgres', applies: () => true },
  { name: 'bandwidth:postgres=50', applies: () => true },
];

const DEFAULT_DURATION_S = 45;

interface MatrixArgs {
  scenarios: string[];
  faults: string[];
  // Named cells, `<scenario>:<fault>`, instead of every scenario × every fault.
  cells?: { scenario: string; fault: string }[];
  durationS: number;
}

function cellList(value: string | undefined): { scenario: string; fault: string }[] {
  const names = (value ?? '').split(',').filter(Boolean);
  if (names.length === 0) throw new UsageError('--cells: one or more <scenario>:<fault>');
  return names.map((name) => {
    const colon = name.indexOf(':');
    const scenario = name.slice(0, colon);
    const fault = name.slice(colon + 1);
    if (colon <= 0 || !(scenario in SCENARIOS)) {
      throw new UsageError(
        `--cells: "${name}" is not <scenario>:<fault>; scenarios: ${Object.keys(SCENARIOS).join(', ')}`,
      );
    }
    const known = FAULTS.find((f) => f.name === fault);
    if (!known) {
      throw new UsageError(
        `--cells: no matrix fault "${fault}"; there are: ${FAULTS.map((f) => f.name).join(', ')}`,
      );
    }
    if (!known.applies(scenario)) {
      throw new UsageError(`--cells: ${fault} does not apply to ${scenario}'s traffic`);
    }
    return { scenario, fault };
  });
}

function list(flag: string, value: string | undefined, known: readonly string[]): string[] {
  const names = (value ?? '').split(',').filter(Boolean);
  const unknown = names.find((n) => !known.includes(n));
  if (names.length === 0 || unknown !== undefined) {
    throw new UsageError(`${flag}: one or more of ${known.join(', ')}`);
  }
  return names;
}

export function parseMatrixArgs(argv: readonly string[]): MatrixArgs {
  const args: MatrixArgs = {
    scenarios: Object.keys(SCENARIOS),
    faults: FAULTS.map((f) => f.name),
    durationS: DEFAULT_DURATION_S,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--scenarios') args.scenarios = list(flag, value(), Object.keys(SCENARIOS));
    else if (flag === '--faults')
      args.faults = list(
        flag,
        value(),
        FAULTS.map((f) => f.name),
      );
    else if (flag === '--cells') args.cells = cellList(value());
    else if (flag === '--duration') {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 15) throw new UsageError('--duration wants 15 s or more');
      args.durationS = n;
    } else throw new UsageError(`unknown option ${arg}`);
  }
  return args;
}

// The cells a matrix run plays, in order.
export function cellsOf(args: MatrixArgs): { scenario: string; fault: string }[] {
  if (args.cells) return args.cells;
  return args.scenarios.flatMap((scenario) =>
    FAULTS.filter((f) => args.faults.includes(f.name) && f.applies(scenario)).map((f) => ({
      scenario,
      fault: f.name,
    })),
  );
}

// The fault starts a third into the traffic and lasts a fifth of it (a restart: as it takes).
export function cellSchedule(fault: string, durationS: number): string {
  const at = Math.round(durationS / 3);
  return fault.endsWith('-restart')
    ? `${fault}@${at}`
    : `${fault}@${at}+${Math.max(3, Math.round(durationS / 5))}`;
}

interface Cell {
  scenario: string;
  fault: string;
  code: number | null;
  report?: RunReport;
}

function run(scenario: string, fault: string, durationS: number): Promise<Cell> {
  const args = [
    '-r',
    '@swc-node/register',
    'load-tests/src/chaos/main.ts',
    scenario,
    '--faults',
    cellSchedule(fault, durationS),
    '--duration',
    String(durationS),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: workspaceRoot,
      env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n')) {
        if (/^\s+(fault |\d+ s )/.test(line)) console.log(`    ${line.trim()}`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const file = /^report: (.+\.json)$/m.exec(output)?.[1];
      resolve({
        scenario,
        fault,
        code,
        ...(file ? { report: JSON.parse(readFileSync(file, 'utf8')) as RunReport } : {}),
      });
    });
  });
}

function row(cell: Cell): string {
  const r = cell.report;
  if (!r) return `| ${cell.scenario} | ${cell.fault} | exit ${cell.code}, no report | | | | | | |`;
  const f = r.faults?.[0];
  const violations = Object.entries(r.verifiers.violations).filter(([, n]) => n !== 0);
  return [
    '',
    cell.scenario,
    `${cell.fault}${f ? ` (${f.atS}+${f.forS} s)` : ''}`,
    (r.latency.count / r.durationS).toFixed(1),
    `${r.latency.p50.toFixed(0)} / ${r.latency.p99.toFixed(0)}`,
    `${(r.totals.errorRate * 100).toFixed(2)}%`,
    f?.recoveredAfterS === undefined
      ? '-'
      : f.recoveredAfterS === null
        ? 'not recovered'
        : `${f.recoveredAfterS} s`,
    violations.length === 0
      ? 'all 0'
      : violations.map(([name, n]) => `${name} ${n ?? 'unknown'}`).join(', '),
    r.passed
      ? 'held'
      : `failed: ${r.thresholds
          .filter((t) => !t.passed)
          .map((t) => t.metric)
          .join(', ')}`,
    '',
  ]
    .join(' | ')
    .trim();
}

// Every verifier, named once, and each cell where one of them did not count 0.
function verifierLines(cells: readonly Cell[]): string[] {
  const names = [
    ...new Set(cells.flatMap((c) => Object.keys(c.report?.verifiers.violations ?? {}))),
  ];
  const off = cells.flatMap((cell) => {
    const counts = Object.entries(cell.report?.verifiers.violations ?? {});
    const bad = counts.filter(([, n]) => n !== 0);
    if (!cell.report) return [`- ${cell.scenario} × ${cell.fault}: no report, no verifiers`];
    return bad.length === 0
      ? []
      : [
          `- ${cell.scenario} × ${cell.fault}: ${bad.map(([name, n]) => `${name} ${n ?? 'unknown'}`).join(', ')}`,
        ];
  });
  return [
    `The verifiers, run after every cell on its databases, Kafka topics and the PSP's charges (${names.length}): ${names.map((n) => `\`${n}\``).join(', ')}.`,
    '',
    ...(off.length === 0
      ? ['Each of them counted 0 in every cell.']
      : ['Cells where one did not count 0:', '', ...off]),
  ];
}

// The new run goes first, under its own heading; the runs already in the file stay below it.
function withEarlier(file: string, section: string[]): string {
  const earlier = existsSync(file)
    ? readFileSync(file, 'utf8')
        .replace(/^# Chaos matrix\n+/, '')
        .trim()
    : '';
  const headed = (text: string) => (text.startsWith('## ') ? text : `## An earlier run\n\n${text}`);
  return [
    '# Chaos matrix',
    '',
    `## Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    ...section,
    ...(earlier ? ['', headed(earlier)] : []),
    '',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const checkOnly = argv[0] === '--check';
  if (checkOnly) argv = argv.slice(1);
  let args: MatrixArgs;
  try {
    if (argv.includes('--help')) {
      console.log(
        [
          'usage: npm run chaos:matrix -- [--scenarios a,b] [--faults f,g] [--cells s:f,...] [--duration S]',
          `  scenarios: ${Object.keys(SCENARIOS).join(', ')}`,
          `  faults: ${FAULTS.map((f) => f.name).join(', ')}`,
          '  --cells  only these <scenario>:<fault> runs, e.g. mixed:kill:ticketing,auction-close:redis-restart',
          `  each run lasts --duration (default ${DEFAULT_DURATION_S} s); its fault starts a third in`,
        ].join('\n'),
      );
      return 0;
    }
    args = parseMatrixArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`npm run chaos:matrix: ${error.message}`);
    return 2;
  }
  if (checkOnly) return 0;
  const cells: Cell[] = [];
  for (const { scenario, fault } of cellsOf(args)) {
    console.log(`${scenario} × ${fault}`);
    const cell = await run(scenario, fault, args.durationS);
    console.log(`  ${row(cell)}`);
    cells.push(cell);
  }
  const file = join(
    workspaceRoot,
    'load-tests/results',
    `chaos-matrix-${new Date().toISOString().slice(0, 10)}.md`,
  );
  writeFileSync(
    file,
    withEarlier(file, [
      runContext(),
      '- the machine was shared: other helpers built and tested beside these runs (see the load average)',
      `- each cell: \`npm run chaos -- <scenario> --faults <fault>@<a third in>[+<a fifth>] --duration ${args.durationS}\` on a fresh native stack; the chaos thresholds where the scenario has them`,
      '',
      '| scenario | fault (measured window) | requests/s | p50 / p99 ms | error rate | recovered after | verifiers | thresholds |',
      '| --- | --- | ---: | ---: | ---: | ---: | --- | --- |',
      ...cells.map(row),
      '',
      ...verifierLines(cells),
    ]),
  );
  console.log(`\nmatrix: ${file}`);
  return cells.every((c) => c.code === 0) ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    });
}
