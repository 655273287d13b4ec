// Injection tokens of the service's infrastructure.
export const REDIS = Symbol('REDIS');
