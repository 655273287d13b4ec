// Injection tokens of the service: its config and the Redis every limiter counts in.
export const RATE_LIMITER_CONFIG = Symbol('RATE_LIMITER_CONFIG');
// The one server at REDIS_URL, or a Redis Cluster client when REDIS_CLUSTER_NODES is set.
export const REDIS = Symbol('REDIS');
