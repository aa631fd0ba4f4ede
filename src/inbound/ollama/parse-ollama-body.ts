import type { z } from 'zod';
import { GatewayError } from '../../canonical/gateway-error.ts';

/** Go struct names of nested fields, for messages shaped like encoding/json's. */
const STRUCT_OF_FIELD: Record<string, string> = { messages: 'Message', tool_calls: 'ToolCall', tools: 'Tool' };

/** Go types of fields, as encoding/json names them in its errors. */
const GO_TYPE_OF_FIELD: Record<string, string> = {
  messages: '[]api.Message',
  images: '[]api.ImageData',
  tool_calls: '[]api.ToolCall',
  tools: 'api.Tools',
  context: '[]int',
  options: 'map[string]interface {}',
  files: 'map[string]string',
  parameters: 'api.ToolFunctionParameters',
  function: 'api.ToolCallFunction',
  top_logprobs: 'int',
  index: 'int',
  dimensions: 'int',
};

/** Element types of array fields, named when an element has the wrong type. */
const GO_ELEMENT_TYPE: Record<string, string> = {
  messages: 'api.Message',
  images: 'api.ImageData',
  tool_calls: 'api.ToolCall',
  tools: 'api.Tool',
  context: 'int',
};

const GO_TYPE_OF_EXPECTED: Record<string, string> = {
  string: 'string',
  boolean: 'bool',
  number: 'float64',
  int: 'int',
  array: '[]interface {}',
  object: 'map[string]interface {}',
  record: 'map[string]interface {}',
};

/**
 * A request body checked against its schema, failing the way Ollama's Go server does: an empty
 * body is `missing request body`, a wrong type is encoding/json's own sentence
 * (`json: cannot unmarshal string into Go struct field ChatRequest.messages of type []api.Message`),
 * naming the field. `goStruct` is the Go request type (`ChatRequest`). A body `isPlain` vouches for
 * (one the schema provably accepts as it is) is taken without the schema's pass.
 */
export function parseOllamaBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  goStruct: string,
  isPlain?: (input: unknown) => input is z.infer<Schema>,
): z.infer<Schema> {
  if (body === undefined) throw new GatewayError('invalid_request', 'missing request body');
  const input = body === null ? {} : body;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new GatewayError('invalid_request', `json: cannot unmarshal ${jsonKind(input)} into Go value of type api.${goStruct}`);
  }
  if (isPlain?.(input) === true) return input;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new GatewayError('invalid_request', 'invalid request body');
  throw new GatewayError('invalid_request', describeIssue(issue, input, goStruct), { param: issue.path.join('.') });
}

function describeIssue(issue: z.core.$ZodIssue, body: object, goStruct: string): string {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  const value = valueAt(body, path);
  const keys = path.filter((segment): segment is string => typeof segment === 'string');
  const field = keys.join('.');
  if (value === undefined) return `missing required field "${displayPath(path)}"`;
  if (issue.code !== 'invalid_type') return `invalid value for field "${displayPath(path)}": ${issue.message}`;
  const last = path[path.length - 1];
  const lastKey = keys[keys.length - 1] ?? '';
  const goType =
    typeof last === 'number'
      ? (GO_ELEMENT_TYPE[lastKey] ?? GO_TYPE_OF_EXPECTED[issue.expected] ?? issue.expected)
      : (GO_TYPE_OF_FIELD[lastKey] ?? GO_TYPE_OF_EXPECTED[issue.expected] ?? issue.expected);
  const kind = typeof value === 'number' && issue.expected === 'int' ? `number ${value}` : jsonKind(value);
  return `json: cannot unmarshal ${kind} into Go struct field ${structOf(keys, goStruct)}.${field} of type ${goType}`;
}

/** The innermost Go struct holding the field: `Message` for `messages.content`. */
function structOf(keys: string[], goStruct: string): string {
  let struct = goStruct;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] ?? '';
    if (key === 'function') struct = keys[i - 1] === 'tools' ? 'ToolFunction' : 'ToolCallFunction';
    else struct = STRUCT_OF_FIELD[key] ?? struct;
  }
  return struct;
}

function valueAt(body: object, path: (string | number)[]): unknown {
  let current: unknown = body;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function displayPath(path: (string | number)[]): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : (text === '' ? '' : '.') + segment;
  return text;
}

/** encoding/json's word for a JSON value's kind. */
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'object') return 'object';
  return typeof value;
}
