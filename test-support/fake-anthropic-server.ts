/**
 * FakeAnthropicServer: a loopback stand-in for https://api.anthropic.com that answers as the
 * Messages API does (anthropic-sdk-typescript: src/resources/messages, src/resources/models.ts,
 * src/core/error.ts; docs.anthropic.com: streaming, errors, prompt caching, extended thinking).
 * It checks what a real server checks: `x-api-key` or `Authorization: Bearer`, `anthropic-version`,
 * the body's shape, a signature on every thinking block sent back (it must be one this server
 * issued for that text), and a `tool_result` for every `tool_use` in the next user turn.
 *
 *   const anthropic = await FakeAnthropicServer.start();
 *   const gateway = await startTestGateway({ providers: [anthropic.providerConfig()] });
 *   anthropic.answer({ blocks: [{ type: 'thinking', thinking: 'Weather.' }, { type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } }] });
 *   anthropic.queue(first, second);       // one answer per request, in order (multi-turn sessions)
 *   anthropic.fail(529, 'overloaded_error', 'Overloaded', { 'retry-after': '1' });
 *   anthropic.models(['claude-sonnet-4-5', …]);   // GET /v1/models, paged by limit/after_id/before_id
 *   anthropic.messageRequests();          // the JSON bodies received, oldest first
 *
 * Usage is worked out as the API reports it: prompt tokens ≈ characters / 4; a prefix up to a
 * `cache_control` breakpoint is written to the cache the first time (`cache_creation_input_tokens`)
 * and read from it later (`cache_read_input_tokens`), and `input_tokens` is what remains; the write
 * is also given by its breakpoint's ttl (`cache_creation`: `ephemeral_5m_input_tokens`, `ephemeral_1h_input_tokens`).
 */
import type { ServerResponse } from 'node:http';
import type { ProviderConfig } from '../src/config/gateway-config-schema.ts';
import { anthropicCountTokensRequestSchema, anthropicMessagesRequestSchema } from '../src/inbound/anthropic/anthropic-messages-request-schema.ts';
import { FakeUpstreamServer, type RecordedCall } from './fake-upstream-server.ts';
import {
  anthropicMessageBody,
  anthropicStreamBlocks,
  anthropicStreamEnd,
  anthropicStreamHead,
  fakeThinkingSignature,
  outputTokensOf,
  sseEvent,
  type FakeAnthropicAnswer,
  type FakeAnthropicUsage,
} from './fake-anthropic-answer.ts';

export const FAKE_ANTHROPIC_KEY = 'sk-ant-api03-fake-test-key';

interface FakeModel {
  id: string;
  display_name: string;
  created_at: string;
}

export class FakeAnthropicServer {
  readonly server: FakeUpstreamServer;
  private answers: FakeAnthropicAnswer[] = [];
  private fallbackAnswer: FakeAnthropicAnswer = { blocks: [{ type: 'text', text: 'Hello from Claude.' }] };
  private failure: { status: number; type: string; message: string; headers: Record<string, string>; times: number } | undefined;
  private modelList: FakeModel[] = [];
  private readonly cachedPrefixes = new Set<string>();
  private requestCount = 0;

  private constructor(server: FakeUpstreamServer) {
    this.server = server;
  }

  static async start(): Promise<FakeAnthropicServer> {
    const fake = new FakeAnthropicServer(await FakeUpstreamServer.start());
    fake.models(['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805']);
    fake.server.on('POST', '/v1/messages', (call, response) => fake.handleMessages(call, response));
    fake.server.on('POST', '/v1/messages/count_tokens', (call, response) => fake.handleCountTokens(call, response));
    fake.server.on('GET', '/v1/models', (call, response) => fake.handleModels(call, response));
    return fake;
  }

  /** The base URL as the SDK takes it (no `/v1`). */
  get baseUrl(): string {
    return this.server.baseUrl;
  }

  providerConfig(id = 'anthropic', extra: Partial<ProviderConfig> = {}): ProviderConfig {
    return { id, type: 'anthropic', api_key: FAKE_ANTHROPIC_KEY, base_url: this.baseUrl, ...extra } as ProviderConfig;
  }

  models(ids: readonly string[]): this {
    this.modelList = ids.map((id, index) => ({ id, display_name: displayName(id), created_at: new Date(Date.UTC(2025, 9 - index, 1)).toISOString() }));
    return this;
  }

  /** Every request gets this answer (after any queued ones). */
  answer(answer: FakeAnthropicAnswer): this {
    this.fallbackAnswer = answer;
    return this;
  }

  /** The next requests get these answers, one each, in order. */
  queue(...answers: FakeAnthropicAnswer[]): this {
    this.answers.push(...answers);
    return this;
  }

  /** The next `times` message requests fail with this status and error type (every one when omitted). */
  fail(status: number, type: string, message: string, headers: Record<string, string> = {}, times = Number.POSITIVE_INFINITY): this {
    this.failure = { status, type, message, headers, times };
    return this;
  }

  messageRequests(): unknown[] {
    return this.server.calls.filter((call) => call.path === '/v1/messages').map((call) => call.json);
  }

  calls(path: string): RecordedCall[] {
    return this.server.calls.filter((call) => call.path === path);
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  private requestId(): string {
    this.requestCount += 1;
    return `req_011Fake${String(this.requestCount).padStart(16, '0')}`;
  }

  /** An error answer, as the API sends it: body with `request_id`, `request-id` header. */
  private error(response: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
    const requestId = this.requestId();
    response.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...headers });
    response.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId }));
  }

  /** Header checks every endpoint makes; false when it answered an error. */
  private admit(call: RecordedCall, response: ServerResponse): boolean {
    const key = call.headers['x-api-key'];
    const bearer = /^Bearer (.+)$/.exec(String(call.headers.authorization ?? ''))?.[1];
    if (key === undefined && bearer === undefined) {
      this.error(response, 401, 'authentication_error', 'x-api-key header is required');
      return false;
    }
    if ((key ?? bearer) !== FAKE_ANTHROPIC_KEY) {
      this.error(response, 401, 'authentication_error', 'invalid x-api-key');
      return false;
    }
    if (call.headers['anthropic-version'] === undefined) {
      this.error(response, 400, 'invalid_request_error', 'anthropic-version: header is required');
      return false;
    }
    return true;
  }

  private handleMessages(call: RecordedCall, response: ServerResponse): void | Promise<void> {
    if (!this.admit(call, response)) return;
    const parsed = anthropicMessagesRequestSchema.safeParse(call.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.error(response, 400, 'invalid_request_error', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid request'}`);
    }
    const problem = conversationProblem(parsed.data.messages);
    if (problem !== undefined) return this.error(response, 400, 'invalid_request_error', problem);
    if (this.failure !== undefined && this.failure.times > 0) {
      this.failure.times -= 1;
      return this.error(response, this.failure.status, this.failure.type, this.failure.message, this.failure.headers);
    }
    const answer = this.answers.shift() ?? this.fallbackAnswer;
    const usage: FakeAnthropicUsage = { ...this.promptUsage(call.json), output_tokens: outputTokensOf(answer), ...answer.usage };
    const requestId = this.requestId();
    if (parsed.data.stream !== true) {
      response.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
      response.end(JSON.stringify(anthropicMessageBody(answer, parsed.data.model, usage)));
      return;
    }
    return this.stream(call, response, answer, parsed.data.model, usage, requestId);
  }

  private async stream(call: RecordedCall, response: ServerResponse, answer: FakeAnthropicAnswer, model: string, usage: FakeAnthropicUsage, requestId: string): Promise<void> {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId });
    const write = async (events: string[]): Promise<void> => {
      if (answer.writeBytes === undefined) {
        for (const event of events) if (!response.destroyed) response.write(event);
        return;
      }
      const bytes = Buffer.from(events.join(''), 'utf8');
      for (let offset = 0; offset < bytes.length && !response.destroyed; offset += answer.writeBytes) {
        response.write(bytes.subarray(offset, offset + answer.writeBytes));
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await write(anthropicStreamHead(answer, model, usage));
    if (answer.pauseUntil !== undefined) await answer.pauseUntil.catch(() => undefined);
    await write(anthropicStreamBlocks(answer));
    if (response.destroyed) return;
    if (answer.holdOpen === true) {
      await call.aborted;
      return;
    }
    if (answer.errorAfter !== undefined) await write([sseEvent({ type: 'error', error: answer.errorAfter })]);
    else if (answer.cut !== true) await write(anthropicStreamEnd(answer, usage));
    response.end();
  }

  private handleCountTokens(call: RecordedCall, response: ServerResponse): void {
    if (!this.admit(call, response)) return;
    const parsed = anthropicCountTokensRequestSchema.safeParse(call.json);
    if (!parsed.success) return this.error(response, 400, 'invalid_request_error', parsed.error.issues[0]?.message ?? 'invalid request');
    const usage = this.promptUsage(call.json, false);
    response.writeHead(200, { 'content-type': 'application/json', 'request-id': this.requestId() });
    response.end(JSON.stringify({ input_tokens: usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens }));
  }

  /** `GET /v1/models?limit=&after_id=&before_id=`, newest first, as the API pages it. */
  private handleModels(call: RecordedCall, response: ServerResponse): void {
    if (!this.admit(call, response)) return;
    const url = new URL(call.url, 'http://127.0.0.1');
    const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get('limit') ?? 20)));
    const afterId = url.searchParams.get('after_id');
    const beforeId = url.searchParams.get('before_id');
    let start = 0;
    let end = this.modelList.length;
    if (afterId !== null) start = this.modelList.findIndex((model) => model.id === afterId) + 1;
    if (beforeId !== null) end = Math.max(0, this.modelList.findIndex((model) => model.id === beforeId));
    const page = beforeId !== null ? this.modelList.slice(Math.max(start, end - limit), end) : this.modelList.slice(start, start + limit);
    const hasMore = beforeId !== null ? end - limit > start : start + limit < end;
    response.writeHead(200, { 'content-type': 'application/json', 'request-id': this.requestId() });
    response.end(
      JSON.stringify({
        data: page.map((model) => ({ type: 'model', ...model })),
        has_more: hasMore,
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
      }),
    );
  }

  /** Input side of usage, with prompt caching worked out from the `cache_control` breakpoints. */
  private promptUsage(body: unknown, record = true): Omit<FakeAnthropicUsage, 'output_tokens'> {
    const { total, breakpoints } = promptPrefixes(body);
    let cached = 0;
    let created = 0;
    // The write is the longest new prefix, kept for its breakpoint's ttl (`5m` unless `1h`).
    let ttl = '5m';
    for (const { prefix, ttl: breakpointTtl } of breakpoints) {
      const tokens = estimateTokens(prefix);
      if (this.cachedPrefixes.has(prefix)) cached = Math.max(cached, tokens);
      else {
        if (tokens > created) ttl = breakpointTtl;
        created = Math.max(created, tokens);
        if (record) this.cachedPrefixes.add(prefix);
      }
    }
    const fromCache = Math.max(cached, 0);
    const written = Math.max(0, created - fromCache);
    return {
      input_tokens: Math.max(1, estimateTokens(total) - fromCache - written),
      cache_creation_input_tokens: written,
      cache_read_input_tokens: fromCache,
      cache_creation: { ephemeral_5m_input_tokens: ttl === '5m' ? written : 0, ephemeral_1h_input_tokens: ttl === '1h' ? written : 0 },
    };
  }
}

function displayName(id: string): string {
  const words = id.replace(/-\d{8}$/, '').split('-');
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The prompt as one text in the API's order (tools, system, messages) and its prefix at each `cache_control`. */
function promptPrefixes(body: unknown): { total: string; breakpoints: { prefix: string; ttl: string }[] } {
  const request = (body ?? {}) as { tools?: unknown[]; system?: unknown; messages?: unknown[] };
  const pieces: unknown[] = [...(request.tools ?? [])];
  if (typeof request.system === 'string') pieces.push(request.system);
  else if (Array.isArray(request.system)) pieces.push(...request.system);
  for (const message of request.messages ?? []) {
    const content = (message as { content?: unknown }).content;
    if (Array.isArray(content)) pieces.push(...content);
    else pieces.push(content);
  }
  let total = '';
  const breakpoints: { prefix: string; ttl: string }[] = [];
  for (const piece of pieces) {
    const { cache_control: cacheControl, ...rest } = typeof piece === 'object' && piece !== null ? (piece as Record<string, unknown>) : { text: piece };
    total += JSON.stringify(rest);
    if (cacheControl !== undefined && cacheControl !== null) breakpoints.push({ prefix: total, ttl: (cacheControl as { ttl?: unknown }).ttl === '1h' ? '1h' : '5m' });
  }
  return { total, breakpoints };
}

/** What the API refuses in a conversation that the schema cannot see, in its words. */
function conversationProblem(messages: { role: string; content: unknown }[]): string | undefined {
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    if (message === undefined || typeof message.content === 'string') continue;
    const blocks = message.content as Record<string, unknown>[];
    for (const [blockIndex, block] of blocks.entries()) {
      if (block.type === 'thinking' && block.signature !== fakeThinkingSignature(String(block.thinking))) {
        return `messages.${index}.content.${blockIndex}: Invalid \`signature\` in \`thinking\` block`;
      }
    }
    const toolUseIds = blocks.filter((block) => block.type === 'tool_use').map((block) => String(block.id));
    if (message.role !== 'assistant' || toolUseIds.length === 0) continue;
    const next = messages[index + 1];
    const results = new Set(
      Array.isArray(next?.content) ? (next.content as Record<string, unknown>[]).filter((block) => block.type === 'tool_result').map((block) => String(block.tool_use_id)) : [],
    );
    const missing = toolUseIds.filter((id) => !results.has(id));
    if (next !== undefined && missing.length > 0) {
      return `messages.${index + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
  }
  return undefined;
}
