import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { initializeAndMigrate } from './migrate-under-lock';
import { typeOrmOptionsFor } from './typeorm-options';

// Each application of the migration leaves a row in `applications` (created by the test,
// outside any migration), committed only if the migration's transaction commits. The sleep
// holds the migration open long enough that replicas started together all overlap it.
class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`insert into applications (pid) values (pg_backend_pid())`);
    await queryRunner.query(`select pg_sleep(1.5)`);
    await queryRunner.query(`create table widgets (id text primary key)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table widgets`);
  }
}

class Broken1700000001000 implements MigrationInterface {
  name = 'Broken1700000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`create table gadgets (id text primary key)`);
    await queryRunner.query(`select * from no_such_table`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table gadgets`);
  }
}

const REPLICAS = 3;

describe('initializeAndMigrate: replicas booting together on an empty database', () => {
  let database: TestDatabase;
  const opened: DataSource[] = [];

  beforeEach(async () => {
    database = await createTestDatabase('migrate_lock');
    await database.pool.query('create table applications (pid int not null)');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((ds) => (ds.isInitialized ? ds.destroy() : null)));
    await database.drop();
  });

  // A pool of one per replica: the migrations must run on the connection that holds the lock.
  function replica(migrations: MigrationInterface[], migrationsRun = false): DataSource {
    const dataSource = new DataSource({
      ...typeOrmOptionsFor({
        url: database.url,
        entities: [],
        migrations: migrations.map((m) => m.constructor as new () => MigrationInterface),
        poolSize: 1,
        applicationName: 'migrate-lock-test',
      }),
      migrationsRun,
    });
    opened.push(dataSource);
    return dataSource;
  }

  async function applications(): Promise<number> {
    const { rows } = await database.pool.query<{ n: string }>(
      'select count(*) as n from applications',
    );
    return Number(rows[0]?.n);
  }

  async function recorded(): Promise<string[]> {
    const { rows } = await database.pool.query<{ name: string }>(
      'select name from migrations order by id',
    );
    return rows.map((row) => row.name);
  }

  it('all boot, and the migration is applied exactly once', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: REPLICAS }, () =>
        initializeAndMigrate(replica([new CreateWidgets1700000000000()])),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(Array(REPLICAS).fill('fulfilled'));
    expect(await applications()).toBe(1);
    expect(await recorded()).toEqual(['CreateWidgets1700000000000']);
    const { rows } = await database.pool.query(`select to_regclass('widgets') as t`);
    expect(rows[0].t).toBe('widgets');
  });

  it("the naive variant (TypeORM's unlocked migrationsRun) breaks in the same setup", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: REPLICAS }, () =>
        replica([new CreateWidgets1700000000000()], true).initialize(),
      ),
    );

    // Every replica read "nothing applied" before the first committed: they all ran the
    // migration, and all but one failed on the table the first one created.
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    expect(await applications()).toBe(1);
    expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
  });

  it('a failed migration keeps nothing, fails the boot, and does not hold the lock', async () => {
    await expect(
      initializeAndMigrate(replica([new CreateWidgets1700000000000(), new Broken1700000001000()])),
    ).rejects.toThrow(/no_such_table/);

    // All pending migrations run in one transaction: the good one is undone with the bad.
    expect(await applications()).toBe(0);
    const { rows } = await database.pool.query(
      `select to_regclass('widgets') as w, to_regclass('gadgets') as g, to_regclass('migrations') as m`,
    );
    expect(rows[0]).toMatchObject({ w: null, g: null });
    if (rows[0].m !== null) expect(await recorded()).toEqual([]);

    // The next boot (the fixed release) is not blocked by a lock left behind.
    await expect(
      initializeAndMigrate(replica([new CreateWidgets1700000000000()])),
    ).resolves.toBeInstanceOf(DataSource);
    expect(await recorded()).toEqual(['CreateWidgets1700000000000']);
  });
});
