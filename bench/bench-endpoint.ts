import { request } from 'undici';
import { BENCH_CLIENT_KEY, FAKE_MODEL } from './fake-upstream.ts';
import type { BenchRequest } from './load-job.ts';

/** A route the bench loads: where, what body, and a text every good answer contains. */
export interface BenchEndpoint extends BenchRequest {
  label: string;
  expect: string;
}

const messages = [{ role: 'user', content: 'Say hello.' }];
const openaiBody = (stream: boolean): string => JSON.stringify({ model: FAKE_MODEL, messages, max_tokens: 32, stream });
const ollamaBody = (stream: boolean): string => JSON.stringify({ model: FAKE_MODEL, messages, stream, options: { num_predict: 32 } });

export function openaiChatEndpoint(label: string, origin: string, stream: boolean): BenchEndpoint {
  return { label, origin, path: '/v1/chat/completions', body: openaiBody(stream), expect: stream ? 'data: [DONE]' : '"choices"' };
}

const anthropicBody = (stream: boolean): string => JSON.stringify({ model: FAKE_MODEL, messages, max_tokens: 32, stream });

export function anthropicMessagesEndpoint(label: string, origin: string, stream: boolean): BenchEndpoint {
  return { label, origin, path: '/v1/messages', body: anthropicBody(stream), expect: stream ? 'event: message_stop' : '"stop_reason"' };
}

/** `/v1/responses` as Codex sends it: `store: false`, so the comparison with chat is like for like. */
export function responsesEndpoint(label: string, origin: string, stream: boolean): BenchEndpoint {
  const body = JSON.stringify({ model: FAKE_MODEL, input: 'Say hello.', max_output_tokens: 32, store: false, stream });
  return { label, origin, path: '/v1/responses', body, expect: stream ? 'event: response.completed' : '"status":"completed"' };
}

export function ollamaChatEndpoint(label: string, origin: string, stream: boolean): BenchEndpoint {
  return { label, origin, path: '/api/chat', body: ollamaBody(stream), expect: '"done":true' };
}

export function openaiCompletionEndpoint(label: string, origin: string, stream: boolean): BenchEndpoint {
  const body = JSON.stringify({ model: FAKE_MODEL, prompt: 'Say hello.', max_tokens: 32, stream });
  return { label, origin, path: '/v1/completions', body, expect: stream ? 'data: [DONE]' : '"choices"' };
}

export function ollamaGenerateEndpoint(label: string, origin: string, stream: boolean): BenchEndpoint {
  const body = JSON.stringify({ model: FAKE_MODEL, prompt: 'Say hello.', stream, options: { num_predict: 32 } });
  return { label, origin, path: '/api/generate', body, expect: '"done":true' };
}

/** Sends one request; undefined when the answer looks right, else why the route is not usable. */
export async function probeEndpoint(endpoint: BenchEndpoint): Promise<string | undefined> {
  try {
    const response = await request(endpoint.origin + endpoint.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_CLIENT_KEY}` },
      body: endpoint.body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) return `${endpoint.path} answered HTTP ${response.statusCode}: ${text.slice(0, 200)}`;
    if (!text.includes(endpoint.expect)) return `${endpoint.path} answered without ${endpoint.expect}: ${text.slice(0, 200)}`;
    return undefined;
  } catch (error) {
    return `${endpoint.path} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
