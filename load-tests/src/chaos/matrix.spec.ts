import { UsageError } from '../load/args';
import { cellSchedule, cellsOf, parseMatrixArgs } from './matrix';

describe('the chaos matrix', () => {
  it('plays every fault that applies to each scenario when no cells are named', () => {
    const cells = cellsOf(parseMatrixArgs(['--scenarios', 'auction-close', '--duration', '30']));
    expect(cells.map((c) => c.fault)).toEqual([
      'kill:auction',
      'redis-restart',
      'postgres-restart',
      'kafka-restart',
      'latency:redis=200ms',
      'timeout:redis',
      'reset:postgres',
      'bandwidth:postgres=50',
    ]);
  });

  it('plays only the named cells, in their order', () => {
    expect(cellsOf(parseMatrixArgs(['--cells=mixed:kill:ticketing,browse:redis-restart']))).toEqual(
      [
        { scenario: 'mixed', fault: 'kill:ticketing' },
        { scenario: 'browse', fault: 'redis-restart' },
      ],
    );
  });

  it.each([
    ['auction-close:kill:ticketing', /kill:ticketing does not apply to auction-close/],
    ['mixed:explode', /no matrix fault "explode"/],
    ['nowhere:kill:ticketing', /is not <scenario>:<fault>/],
    ['', /one or more <scenario>:<fault>/],
  ])('refuses the cells %j', (cells, message) => {
    expect(() => parseMatrixArgs(['--cells', cells])).toThrow(UsageError);
    expect(() => parseMatrixArgs(['--cells', cells])).toThrow(message);
  });

  it('starts a fault a third into the run and holds it for a fifth', () => {
    expect(cellSchedule('kill:ticketing', 30)).toBe('kill:ticketing@10+6');
    expect(cellSchedule('redis-restart', 45)).toBe('redis-restart@15');
  });
});
