import type { z } from 'zod';
import { GatewayError } from '../../canonical/gateway-error.ts';

const MAX_ISSUES_SHOWN = 5;

/**
 * Validates a request body against its schema, or throws a 400 whose message names each field at
 * fault (`messages[2].role: expected one of system, developer, user, assistant, tool`) and whose
 * `param` is the first of them, as OpenAI's own errors do.
 */
export function parseOpenAIRequestBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GatewayError('invalid_request', 'request body must be a JSON object', { code: 'invalid_request_body' });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const resolved = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => resolveIssue(issue, []));
  const described = resolved.map((issue) => `${issue.path.length === 0 ? 'request body' : formatPath(issue.path)}: ${issue.problem}`);
  const more = issues.length > MAX_ISSUES_SHOWN ? ` (and ${issues.length - MAX_ISSUES_SHOWN} more)` : '';
  const first = resolved[0];
  const options: { param?: string; code: string } = { code: 'invalid_request_body' };
  if (first !== undefined && first.path.length > 0) options.param = formatPath(first.path);
  throw new GatewayError('invalid_request', described.join('; ') + more, options);
}

/** `['messages', 2, 'role']` → `messages[2].role`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text.length === 0 ? String(key) : `.${String(key)}`;
  }
  return text;
}

interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  values?: unknown[];
  options?: unknown[];
  errors?: IssueLike[][];
  minimum?: unknown;
  maximum?: unknown;
  /** false for an exclusive bound (`.positive()`: greater than 0, not at least 0). */
  inclusive?: boolean;
  origin?: string;
  keys?: string[];
}

function resolveIssue(issue: IssueLike, prefix: readonly PropertyKey[]): { path: PropertyKey[]; problem: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') return resolveUnion(issue, path);
  return { path, problem: describeProblem(issue) };
}

function describeProblem(issue: IssueLike): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.message.endsWith('received undefined')) return 'required';
      return issue.message.replace(/^Invalid input: /, '');
    case 'invalid_value':
      return `expected one of ${(issue.values ?? []).map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return `must be at least ${String(issue.minimum)} character${issue.minimum === 1 ? '' : 's'} long`;
      return issue.inclusive === false ? `must be greater than ${String(issue.minimum)}` : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${String(issue.maximum)} items`;
      return issue.inclusive === false ? `must be less than ${String(issue.maximum)}` : `must be at most ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown field${(issue.keys?.length ?? 0) === 1 ? '' : 's'} ${(issue.keys ?? []).join(', ')}`;
    default:
      return issue.message;
  }
}

/**
 * zod reports a failed union as every branch's failure. When each branch failed on the value's
 * own type, say which types were expected; otherwise the branch that got furthest is what the
 * client meant, so report its problem.
 */
function resolveUnion(issue: IssueLike, path: PropertyKey[]): { path: PropertyKey[]; problem: string } {
  const branches = issue.errors ?? [];
  if (issue.options !== undefined && branches.length === 0) {
    return { path, problem: `expected one of ${issue.options.map(String).join(', ')}` };
  }
  const rootTypeFailures = branches.map((branch) =>
    branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0 ? branch[0] : undefined,
  );
  if (branches.length > 0 && rootTypeFailures.every((failure) => failure !== undefined)) {
    const expected = [...new Set(rootTypeFailures.map((failure) => /expected (\w+)/.exec(failure?.message ?? '')?.[1] ?? 'value'))];
    const received = /received (\w+)/.exec(rootTypeFailures[0]?.message ?? '')?.[1];
    if (received === 'undefined') return { path, problem: 'required' };
    return { path, problem: `expected ${expected.join(' or ')}${received === undefined ? '' : `, received ${received}`}` };
  }
  let best: IssueLike | undefined;
  for (const branch of branches) {
    for (const candidate of branch) {
      if (best === undefined || candidate.path.length > best.path.length) best = candidate;
    }
  }
  if (best === undefined) return { path, problem: issue.message };
  return resolveIssue(best, path);
}
