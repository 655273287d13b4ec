import type { DataSource } from 'typeorm';
import type { ReadinessCheck } from '../health/readiness.registry';

// Readiness check for ReadinessRegistry: the pool can hand out a connection that answers.
export function dataSourceReadinessCheck(dataSource: DataSource): ReadinessCheck {
  return async () => {
    if (!dataSource.isInitialized) {
      throw new Error('database connection is not initialised');
    }
    await dataSource.query('select 1');
  };
}
