import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config.errors';

// Parses the environment once, at boot, into the app's typed config. Everything
// after this point receives the typed object; nothing else reads the environment.
export function loadConfig<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  env: Record<string, string | undefined>,
  service: string,
): T {
  const result = schema.safeParse(withoutEmptyValues(env));
  if (result.success) {
    return result.data;
  }
  const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
    variable: issue.path.length > 0 ? issue.path.join('.') : '(environment)',
    message: issue.message,
  }));
  throw new ConfigError(service, issues);
}

// `FOO=` in a shell, a compose file or a dotenv file means "not set": the variable
// then takes its default or is reported as required, instead of failing as ''.
function withoutEmptyValues(env: Record<string, string | undefined>): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') {
      present[name] = value;
    }
  }
  return present;
}
