export interface HealthOptions {
  service: string;
  // Per-check budget for GET /health/ready.
  checkTimeoutMs: number;
}

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
