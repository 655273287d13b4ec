// Prints a bearer token for the fuzz stage, signed with the stack's development key
// (.local/keys, the key the running services verify with). It carries every scope a route
// can require, so each operation is fuzzed past authorization into its own logic.
import { DevTokenSigner } from '@suite/service-kit';
import { SCOPES } from '@suite/contracts';
import { ensureJwtKeys } from '../../libs/testing/src/stack/jwt-keys';

async function main(): Promise<void> {
  const signer = new DevTokenSigner({
    privateKeyPem: ensureJwtKeys().privateKeyPem,
    // The services' defaults (JWT_ISSUER, JWT_AUDIENCE), which the stack does not change.
    issuer: 'suite',
    audience: 'suite',
    ttlSeconds: 3_600,
  });
  process.stdout.write(await signer.sign({ userId: 'fuzz-user', scopes: Object.values(SCOPES) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
