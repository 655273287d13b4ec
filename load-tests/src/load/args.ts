// `npm run load -- <scenario> [--rate N] [--duration S] [--vus N] [--target native|compose]`
// and `npm run chaos -- <scenario> (--faults <schedule> | --short) [load options]`
export interface LoadArgs {
  scenario: string;
  rate?: number;
  durationS?: number;
  vus?: number;
  target: 'native' | 'compose';
  // Chaos runs only: the fault schedule as written, or the short smoke's schedule.
  faults?: string;
  short?: boolean;
}

export type ParsedArgs = { help: true } | { help: false; args: LoadArgs };

// A bad command line: the runner prints the message and exits 2.
export class UsageError extends Error {}

const positive = (flag: string, value: string | undefined): number => {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} wants a number above 0, not "${value ?? ''}"`);
  }
  return n;
};

export function parseLoadArgs(argv: readonly string[], scenarios: readonly string[]): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  let scenario: string | undefined;
  const args: Omit<LoadArgs, 'scenario'> = { target: 'native' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--rate':
        args.rate = positive('--rate', value());
        break;
      case '--duration':
        args.durationS = positive('--duration', value());
        break;
      case '--vus': {
        const vus = positive('--vus', value());
        if (!Number.isInteger(vus)) throw new UsageError(`--vus wants a whole number, not ${vus}`);
        args.vus = vus;
        break;
      }
      case '--target': {
        const target = value();
        if (target !== 'native' && target !== 'compose') {
          throw new UsageError(`--target must be native or compose, not "${target ?? ''}"`);
        }
        args.target = target;
        break;
      }
      case '--faults': {
        const faults = value();
        if (!faults || faults.startsWith('--'))
          throw new UsageError('--faults wants a schedule, like kill:ticketing@10+5');
        args.faults = faults;
        break;
      }
      case '--short':
        args.short = true;
        break;
      default:
        if (flag?.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        if (scenario !== undefined)
          throw new UsageError(`one scenario at a time: "${scenario}" and "${arg}"`);
        scenario = arg;
    }
  }
  if (scenario === undefined) throw new UsageError('name a scenario');
  if (!scenarios.includes(scenario)) {
    throw new UsageError(`no scenario "${scenario}"; there are: ${scenarios.join(', ')}`);
  }
  return { help: false, args: { scenario, ...args } };
}
