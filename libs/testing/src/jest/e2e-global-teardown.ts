import { runServices } from './e2e-global-setup';
import integrationTeardown from './global-teardown';

export default async function e2eGlobalTeardown(): Promise<void> {
  runServices('stop');
  await integrationTeardown();
}
