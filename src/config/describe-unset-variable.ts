import { formatConfigPath } from './format-config-path.ts';
import type { UnsetReference } from './interpolate-environment.ts';

/** The problem line for a `${VAR}` whose variable is not set. */
export function describeUnset(reference: UnsetReference): string {
  return `${formatConfigPath(reference.path)}: environment variable ${reference.variable} is not set (set it, or write \${${reference.variable}:-default})`;
}
