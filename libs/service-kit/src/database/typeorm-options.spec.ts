import { typeOrmOptionsFor } from './typeorm-options';

class SeatRecord {}

describe('typeOrmOptionsFor', () => {
  it('never synchronizes and leaves migrations to the locked run at start-up', () => {
    const options = typeOrmOptionsFor({
      url: 'postgres://ticketing@127.0.0.1:5432/ticketing',
      entities: [SeatRecord],
      migrations: [],
    });
    expect(options).toEqual({
      type: 'postgres',
      url: 'postgres://ticketing@127.0.0.1:5432/ticketing',
      entities: [SeatRecord],
      migrations: [],
      synchronize: false,
      migrationsRun: false,
      migrationsTransactionMode: 'all',
    });
  });

  it('passes the pool size and application name through when given', () => {
    expect(
      typeOrmOptionsFor({
        url: 'postgres://127.0.0.1/payments',
        entities: [],
        migrations: [],
        poolSize: 4,
        applicationName: 'payments',
      }),
    ).toMatchObject({ poolSize: 4, applicationName: 'payments' });
  });
});
