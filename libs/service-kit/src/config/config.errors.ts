export interface ConfigIssue {
  // Environment variable name, or a dotted path for nested values.
  variable: string;
  message: string;
}

// Thrown at boot when the environment does not satisfy an app's schema. The message
// names every bad variable and why, and never echoes values: some are secrets.
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';

  constructor(
    readonly service: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `${service} config is invalid:\n${issues.map((issue) => `  ${issue.variable}: ${issue.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}
