import assert from 'node:assert/strict';

/** OpenAI's error shape (github:openai/openai-node src/core/error.ts): `{"error":{message,type,param,code}}`. */
export function readOpenAIError(json: unknown): string {
  const error = (json as { error?: { message?: unknown; type?: unknown } }).error;
  assert.equal(typeof error?.message, 'string');
  assert.equal(typeof error?.type, 'string');
  return error?.message as string;
}
