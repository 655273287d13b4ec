import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

export interface Es256KeyPair {
  // SPKI PEM: what every service is given, to verify tokens.
  publicKeyPem: string;
  // PKCS#8 PEM: what only the token issuer holds, to sign them.
  privateKeyPem: string;
}

// A fresh P-256 key pair for the demo and tests. Deployments load theirs from config.
export function generateEs256KeyPair(): Es256KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

// Parses a public key PEM and checks it fits ES256. A private key is refused even
// though a public key could be derived from it: a verifier must not be able to sign.
export function es256PublicKey(pem: string): KeyObject {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new Error('publicKeyPem holds a private key; give services only the public key');
  }
  return requireP256(
    parsePem(() => createPublicKey(pem), 'publicKeyPem'),
    'publicKeyPem',
  );
}

export function es256PrivateKey(pem: string): KeyObject {
  return requireP256(
    parsePem(() => createPrivateKey(pem), 'privateKeyPem'),
    'privateKeyPem',
  );
}

function parsePem(parse: () => KeyObject, name: string): KeyObject {
  try {
    return parse();
  } catch {
    // The key material itself is never echoed.
    throw new Error(`${name} is not a valid PEM key`);
  }
}

function requireP256(key: KeyObject, name: string): KeyObject {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${name} must be an EC P-256 key for ES256`);
  }
  return key;
}
