import { stopContainers } from '../endpoints/testcontainers';

export default async function globalTeardown(): Promise<void> {
  await stopContainers();
}
