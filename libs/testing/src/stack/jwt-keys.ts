import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { findWorkspaceRoot } from '../endpoints/endpoints';

const STATE = join(findWorkspaceRoot(__dirname), '.local');

export interface JwtKeys {
  publicKeyPem: string;
  privateKeyPem: string;
}

// The demo's ES256 key pair, made once and kept in .local/keys (ignored by git). The gateway
// signs development tokens with the private key; every service verifies with the public one.
export function ensureJwtKeys(): JwtKeys {
  const dir = join(STATE, 'keys');
  const pub = join(dir, 'jwt-public.pem');
  const priv = join(dir, 'jwt-private.pem');
  if (!existsSync(pub) || !existsSync(priv)) {
    mkdirSync(dir, { recursive: true });
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return { publicKeyPem: readFileSync(pub, 'utf8'), privateKeyPem: readFileSync(priv, 'utf8') };
}
