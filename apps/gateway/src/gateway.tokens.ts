// Injection tokens of the gateway: its config, its Redis connection and the development
// token signer with the lifetime it signs for.
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
// The RedisClient the rate-limit counters live in.
export const REDIS = Symbol('REDIS');
// DevTokenSigner, provided only when DEV_TOKENS=on.
export const DEV_TOKEN_SIGNER = Symbol('DEV_TOKEN_SIGNER');
export const DEV_TOKEN_TTL_SECONDS = Symbol('DEV_TOKEN_TTL_SECONDS');
