import { createTestDatabase, type TestDatabase } from '@suite/testing';
import {
  Column,
  DataSource,
  Entity,
  PrimaryColumn,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { dataSourceReadinessCheck } from './database-readiness';
import { runInTransaction } from './run-in-transaction';
import { initializeAndMigrate } from './migrate-under-lock';
import { typeOrmOptionsFor } from './typeorm-options';

@Entity({ name: 'seats' })
class SeatRecord {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  status!: string;
}

// An entity that no migration creates: with synchronize off it must not get a table.
@Entity({ name: 'unmigrated' })
class UnmigratedRecord {
  @PrimaryColumn({ type: 'text' })
  id!: string;
}

class CreateSeatsAndOutbox1700000000000 implements MigrationInterface {
  name = 'CreateSeatsAndOutbox1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`create table seats (id text primary key, status text not null)`);
    await queryRunner.query(
      `create table outbox (id bigserial primary key, aggregate_key text not null, payload jsonb not null)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table outbox`);
    await queryRunner.query(`drop table seats`);
  }
}

describe('runInTransaction over typeOrmOptionsFor', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('nest_typeorm');
    dataSource = new DataSource(
      typeOrmOptionsFor({
        url: database.url,
        entities: [SeatRecord, UnmigratedRecord],
        migrations: [CreateSeatsAndOutbox1700000000000],
        // One connection: a unit of work that kept its connection would hang the next.
        poolSize: 1,
        applicationName: 'service-kit-test',
      }),
    );
    await initializeAndMigrate(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  beforeEach(async () => {
    await database.pool.query('truncate seats, outbox');
  });

  async function committed(): Promise<{ seats: string[]; outbox: string[] }> {
    const seats = await database.pool.query<{ id: string }>('select id from seats order by id');
    const outbox = await database.pool.query<{ aggregate_key: string }>(
      'select aggregate_key from outbox order by id',
    );
    return {
      seats: seats.rows.map((row) => row.id),
      outbox: outbox.rows.map((row) => row.aggregate_key),
    };
  }

  it('runs the migrations at initialize and creates no table from entities', async () => {
    const migrations = await database.pool.query<{ name: string }>('select name from migrations');
    expect(migrations.rows.map((row) => row.name)).toEqual(['CreateSeatsAndOutbox1700000000000']);
    const tables = await database.pool.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(['migrations', 'outbox', 'seats']);
  });

  it('commits the entity write and the raw outbox insert together', async () => {
    const result = await runInTransaction(dataSource, async ({ manager, sql }) => {
      await manager.save(SeatRecord, { id: 'A-1', status: 'sold' });
      const inserted = await sql.query<{ id: string }>(
        'insert into outbox (aggregate_key, payload) values ($1, $2) returning id',
        ['A-1', JSON.stringify({ type: 'TicketIssued' })],
      );
      return inserted.rowCount;
    });
    expect(result).toBe(1);
    expect(await committed()).toEqual({ seats: ['A-1'], outbox: ['A-1'] });
  });

  it('rolls both back and rethrows when the unit of work fails', async () => {
    const failure = new Error('payment declined');
    await expect(
      runInTransaction(dataSource, async ({ manager, sql }) => {
        await manager.save(SeatRecord, { id: 'A-2', status: 'sold' });
        await sql.query('insert into outbox (aggregate_key, payload) values ($1, $2)', [
          'A-2',
          '{}',
        ]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await committed()).toEqual({ seats: [], outbox: [] });
  });

  it('rolls back the entity write when the raw SQL fails', async () => {
    await expect(
      runInTransaction(dataSource, async ({ manager, sql }) => {
        await manager.save(SeatRecord, { id: 'A-3', status: 'sold' });
        await sql.query('insert into outbox (aggregate_key, payload) values ($1, $2)', [
          null,
          '{}',
        ]);
      }),
    ).rejects.toThrow(/aggregate_key/);
    expect(await committed()).toEqual({ seats: [], outbox: [] });
  });

  it('runs the manager and the executor in one transaction on one connection', async () => {
    const seen = await runInTransaction(dataSource, async ({ manager, sql }) => {
      const [viaManager] = (await manager.query(
        'select txid_current()::text as tx, pg_backend_pid() as pid',
      )) as { tx: string; pid: number }[];
      const viaExecutor = await sql.query<{ tx: string; pid: number }>(
        'select txid_current()::text as tx, pg_backend_pid() as pid',
      );
      return { viaManager, viaExecutor: viaExecutor.rows[0] };
    });
    expect(seen.viaExecutor).toEqual(seen.viaManager);
  });

  it('applies the requested isolation level', async () => {
    const level = await runInTransaction(
      dataSource,
      async ({ sql }) =>
        (
          await sql.query<{ level: string }>('select current_setting($1) as level', [
            'transaction_isolation',
          ])
        ).rows[0]?.level,
      { isolationLevel: 'SERIALIZABLE' },
    );
    expect(level).toBe('serializable');
  });

  it('returns its connection to the pool after every outcome', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(
        runInTransaction(dataSource, () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      await runInTransaction(dataSource, async ({ sql }) => sql.query('select 1'));
    }
    // With a pool of one, a leaked connection would have hung the loop above.
    await expect(dataSourceReadinessCheck(dataSource)()).resolves.toBeUndefined();
  });

  it('reports not ready once the data source is closed', async () => {
    const closed = new DataSource(
      typeOrmOptionsFor({ url: database.url, entities: [], migrations: [] }),
    );
    await expect(dataSourceReadinessCheck(closed)()).rejects.toThrow(
      'database connection is not initialised',
    );
  });
});
