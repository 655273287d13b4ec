import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { dependencyOutage } from './dependency-outage';

function postgresError(code: string, message: string): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = code;
  error.severity = 'FATAL';
  return error;
}

describe('dependencyOutage', () => {
  it('names Postgres for a server going away, wrapped by TypeORM or not', () => {
    const shutdown = postgresError('57P01', 'terminating connection due to administrator command');
    expect(dependencyOutage(shutdown)).toBe('postgres');
    expect(dependencyOutage(new QueryFailedError('select 1', [], shutdown))).toBe('postgres');
    expect(dependencyOutage(postgresError('08006', 'connection failure'))).toBe('postgres');
    expect(dependencyOutage(postgresError('53300', 'too many connections'))).toBe('postgres');
  });

  it("names Postgres and Redis from their drivers' own words", () => {
    expect(dependencyOutage(new Error('Connection terminated unexpectedly'))).toBe('postgres');
    expect(dependencyOutage(new Error('Connection is closed.'))).toBe('redis');
    const maxRetries = Object.assign(new Error('Reached the max retries per request limit'), {
      name: 'MaxRetriesPerRequestError',
    });
    expect(dependencyOutage(maxRetries)).toBe('redis');
  });

  it('looks through causes and the attempts of an AggregateError', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(dependencyOutage(new AggregateError([refused], 'all attempts failed'))).toBe(
      'a dependency',
    );
    expect(
      dependencyOutage(new Error('hold failed', { cause: new Error('Command timed out') })),
    ).toBe('redis');
  });

  it('leaves every other failure a 500: a bug, a constraint, a bad query', () => {
    expect(
      dependencyOutage(new TypeError("Cannot read properties of undefined (reading 'id')")),
    ).toBe(undefined);
    const unique = postgresError('23505', 'duplicate key value violates unique constraint');
    expect(dependencyOutage(new QueryFailedError('insert', [], unique))).toBe(undefined);
    expect(dependencyOutage(postgresError('42P01', 'relation "seats" does not exist'))).toBe(
      undefined,
    );
    expect(dependencyOutage('a string')).toBe(undefined);
    expect(dependencyOutage(new Error('connection to 10.0.0.7:5432 refused'))).toBe(undefined);
  });
});
