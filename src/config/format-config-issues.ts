import type { z } from 'zod';
import { formatConfigPath } from './format-config-path.ts';

/**
 * zod's issues as one human line each, path first. Values the user wrote are never echoed: a
 * wrong value may be a secret put in the wrong place.
 */
export function formatConfigIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatConfigPath(issue.path)}: ${describeIssue(issue)}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined$/.test(issue.message)) return `missing (expected ${article(issue.expected)})`;
      return `expected ${article(issue.expected)}, got ${receivedType(issue.message)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((value) => String(value)).join(', ')}`;
    case 'unrecognized_keys': {
      const keys = issue.keys.map((key) => `'${key}'`).join(', ');
      return issue.keys.length === 1 ? `unknown key ${keys}` : `unknown keys ${keys}`;
    }
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)} characters`;
      return `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
    case 'invalid_format':
      if (issue.format === 'url') return 'expected a URL such as https://host/v1';
      if (issue.format === 'regex' && issue.message.startsWith('Invalid string')) return 'has an invalid format';
      return issue.message;
    default:
      return issue.message;
  }
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** zod names the received type at the end of its message ("…, received string"). */
function receivedType(message: string): string {
  const match = /received (\w+)$/.exec(message);
  return match?.[1] === undefined ? 'something else' : article(match[1]);
}
