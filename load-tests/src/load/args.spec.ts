import { parseLoadArgs, UsageError } from './args';

const SCENARIOS = ['flash-sale', 'browse'];
const parse = (...argv: string[]) => parseLoadArgs(argv, SCENARIOS);

describe('npm run load arguments', () => {
  it('reads a scenario with its options, in either spelling', () => {
    expect(parse('flash-sale', '--rate', '40', '--duration=20', '--target', 'compose')).toEqual({
      help: false,
      args: { scenario: 'flash-sale', rate: 40, durationS: 20, target: 'compose' },
    });
    expect(parse('browse')).toEqual({
      help: false,
      args: { scenario: 'browse', target: 'native' },
    });
    expect(parse('browse', '--help')).toEqual({ help: true });
  });

  it('reads a chaos run fault schedule whole, with its own equal signs', () => {
    expect(parse('flash-sale', '--faults=latency:redis=200ms@40+10', '--short')).toEqual({
      help: false,
      args: {
        scenario: 'flash-sale',
        target: 'native',
        faults: 'latency:redis=200ms@40+10',
        short: true,
      },
    });
    expect(() => parse('flash-sale', '--faults')).toThrow(/--faults wants a schedule/);
  });

  it.each([
    [[], /name a scenario/],
    [['nope'], /no scenario "nope"; there are: flash-sale, browse/],
    [['browse', '--rate'], /--rate wants a number above 0/],
    [['browse', '--rate', 'fast'], /--rate wants a number above 0, not "fast"/],
    [['browse', '--duration', '-5'], /--duration wants a number above 0/],
    [['browse', '--vus', '2.5'], /--vus wants a whole number/],
    [['browse', '--target', 'cloud'], /--target must be native or compose/],
    [['browse', '--rps', '5'], /unknown option --rps/],
    [['browse', 'flash-sale'], /one scenario at a time/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(message);
  });
});
