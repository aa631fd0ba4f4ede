/**
 * FakeCerebrasUpstream: a loopback stand-in for https://api.cerebras.ai/v1 that answers the way
 * Cerebras does (shapes from github:Cerebras/cerebras-cloud-sdk-node and
 * https://inference-docs.cerebras.ai: chunks carry `reasoning`, tool-call argument fragments,
 * `usage` + `time_info` on the final chunk, errors as a top-level `{message,type,param,code}`).
 *
 *   const cerebras = await FakeCerebrasUpstream.start();
 *   const gateway = await startTestGateway({ providers: [cerebras.providerConfig()] });
 *   cerebras.models(['gpt-oss-120b', 'llama3.1-8b']);           // GET /v1/models
 *   cerebras.answer({ text: 'Hello!', reasoning: 'User greets.' }); // POST /v1/chat/completions,
 *                                                                  //   streamed or not, as the request asks
 *   cerebras.answer({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] });
 *   cerebras.answer({ text: 'Hi', thinkTags: 'Qwen thinks' });     // reasoning as `<think>…</think>` in content
 *   cerebras.answer({ text: 'Once upon', cut: true });             // stream stops before finish and [DONE]
 *   cerebras.answer({ text: 'Once upon', holdOpen: true });        // stream stays open until the client leaves
 *   cerebras.answer({ text: 'Once upon', resetAfter: gate });      // after the content, once `gate` settles: TCP reset
 *   cerebras.resetConnection();                                    // reset the connection before any response header
 *   cerebras.silence();                                            // never answer, until the client leaves
 *   cerebras.silence({ contentType: 'application/json', body: '{"id":' }); // a 200 and the start of a body, then nothing
 *   cerebras.garbage('text/html', '<html>Bad gateway</html>');     // a 200 whose body is not what was asked for
 *   cerebras.fixture('gpt-oss-reasoning');                         // replay src/providers/cerebras/__fixtures__/<name>.chunks.txt
 *   cerebras.fail(429, { message: 'Too many requests', type: 'too_many_requests_error' }, { 'retry-after': '2' });
 *   cerebras.budget('csk-test-key', { tokensPerMinute: 60000 });   // reserve tokens per key; 429 when short
 *   cerebras.queueExceeded(1);                                     // the next chat request: 429 queue_exceeded
 *   cerebras.chatRequests();                                       // the JSON bodies received, oldest first
 *
 * Every chat request is judged first as Cerebras judges it (test-support/fake-cerebras-rules.ts):
 * unknown properties and parameters the model refuses get the real 400 `wrong_api_format`, a
 * `reasoning_effort` the model does not take is refused, tokens are reserved against the key's
 * budget, and every answer carries the `x-ratelimit-*` headers.
 *   cerebras.server.calls;                                         // every RecordedCall (headers, `aborted` promise)
 *   await cerebras.close();
 *
 * `cerebrasStreamChunks(answer)`, `cerebrasCompletionBody(answer)`, `loadCerebrasFixture(name)` and
 * `cerebrasSseBody(lines)` build the same bytes for tests that drive a decoder without a server.
 */
import type { ServerResponse } from 'node:http';
import type { ProviderConfig } from '../src/config/gateway-config-schema.ts';
import {
  FAKE_CEREBRAS_MODELS,
  type FakeCerebrasModel,
  type FakeKeyBudget,
  promptTokens,
  QUEUE_EXCEEDED_BODY,
  rateLimitHeaders,
  refusedEffort,
  refusedPaths,
  REQUEST_QUOTA_BODY,
  TOKEN_QUOTA_BODY,
  unsupportedBody,
} from './fake-cerebras-rules.ts';
import {
  type FakeCerebrasAnswer,
  withReasoningFormat,
  withRequestedLogprobs,
  cerebrasCompletionBody,
  cerebrasStreamChunks,
  loadCerebrasFixture,
} from './cerebras-answer-bodies.ts';
import { FakeUpstreamServer, type FakeHandler, type RecordedCall } from './fake-upstream-server.ts';

export * from './cerebras-answer-bodies.ts';

export interface CerebrasErrorBody {
  message: string;
  type?: string;
  param?: string | null;
  code?: string | null;
}

export class FakeCerebrasUpstream {
  readonly server: FakeUpstreamServer;
  /** The models served, with their limits; requests for others are not judged per model. */
  private catalog: FakeCerebrasModel[] = FAKE_CEREBRAS_MODELS;
  private readonly budgets = new Map<string, FakeKeyBudget>();
  private queueRefusals = 0;

  private constructor(server: FakeUpstreamServer) {
    this.server = server;
  }

  static async start(): Promise<FakeCerebrasUpstream> {
    const fake = new FakeCerebrasUpstream(await FakeUpstreamServer.start());
    fake.models(FAKE_CEREBRAS_MODELS.map((model) => model.id));
    return fake;
  }

  /** A key's per-minute token and per-day request budget (default: plenty). */
  budget(key: string, limits: { tokensPerMinute?: number; requestsPerDay?: number }): this {
    const tokensPerMinute = limits.tokensPerMinute ?? 1_000_000;
    const requestsPerDay = limits.requestsPerDay ?? 14_400;
    this.budgets.set(key, { tokensPerMinute, requestsPerDay, tokensLeft: tokensPerMinute, requestsLeft: requestsPerDay });
    return this;
  }

  /** The next `count` chat requests are refused as Cerebras refuses them under platform load. */
  queueExceeded(count: number): this {
    this.queueRefusals = count;
    return this;
  }

  /** The `base_url` to configure: `http://127.0.0.1:<port>/v1`. */
  get baseUrl(): string {
    return `${this.server.baseUrl}/v1`;
  }

  /** A provider entry for llmux config pointing here. */
  providerConfig(id = 'cerebras', extra: Partial<ProviderConfig> = {}): ProviderConfig {
    return { id, type: 'cerebras', api_key: 'csk-test-key', base_url: this.baseUrl, ...extra };
  }

  /**
   * `GET /v1/models` (the default format: id, created, owned_by) and, for models the fake knows,
   * `GET /v1/models/<id>` in the SDK's `PublicModel` shape (limits, capabilities, pricing,
   * `deprecated`; github:Cerebras/cerebras-cloud-sdk-node src/resources/models.ts).
   */
  models(ids: readonly string[]): this {
    this.server.json('GET', '/v1/models', 200, {
      object: 'list',
      data: ids.map((id) => ({ id, object: 'model', created: 1721692800, owned_by: id.startsWith('llama') ? 'Meta' : 'Cerebras' })),
    });
    for (const model of this.catalog) {
      if (!ids.includes(model.id)) continue;
      this.server.json('GET', `/v1/models/${model.id}`, 200, {
        id: model.id,
        object: 'model',
        created: 1721692800,
        owned_by: 'Cerebras',
        name: model.id,
        description: `${model.id} on Cerebras`,
        architecture: { modality: model.capabilities?.vision === true ? 'text+vision' : 'text', tokenizer: 'fake' },
        capabilities: model.capabilities ?? {},
        limits: { max_completion_tokens: model.maxCompletionTokens, max_context_length: model.contextLength },
        pricing: model.pricing ?? { prompt: '0', completion: '0' },
        supported_parameters: { temperature: true, top_p: true, seed: true, stop: true },
        ...(model.deprecated === true ? { deprecated: true } : {}),
      });
    }
    return this;
  }

  /**
   * Registers a chat handler behind Cerebras's own checks: a refused body, platform load or a
   * spent key budget is answered as Cerebras answers it, and every answer carries the
   * rate-limit headers of the key.
   */
  private chat(handler: FakeHandler): this {
    this.server.on('POST', '/v1/chat/completions', async (call, response) => {
      const body = (typeof call.json === 'object' && call.json !== null ? call.json : {}) as Record<string, unknown>;
      const model = this.catalog.find((entry) => entry.id === body.model);
      const key = String(call.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!this.budgets.has(key)) this.budget(key, {});
      const budget = this.budgets.get(key) as FakeKeyBudget;
      const refuse = (status: number, errorBody: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/json', ...rateLimitHeaders(budget) });
        response.end(JSON.stringify(errorBody));
      };
      const refused = refusedPaths(body, model);
      if (refused.length > 0) return refuse(400, unsupportedBody(refused));
      const effort = refusedEffort(body, model);
      if (effort !== undefined) return refuse(400, effort);
      if (this.queueRefusals > 0) {
        this.queueRefusals--;
        return refuse(429, QUEUE_EXCEEDED_BODY);
      }
      if (budget.requestsLeft <= 0) return refuse(429, REQUEST_QUOTA_BODY);
      const maxOutput = typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : (model?.maxCompletionTokens ?? 8192);
      const reserved = promptTokens(body) + maxOutput;
      if (reserved > budget.tokensLeft) return refuse(429, TOKEN_QUOTA_BODY);
      budget.tokensLeft -= reserved;
      budget.requestsLeft -= 1;
      for (const [name, value] of Object.entries(rateLimitHeaders(budget))) response.setHeader(name, value);
      await handler(call, response);
    });
    return this;
  }

  /** Answers chat requests, streaming when the request says `stream: true`. */
  answer(answer: FakeCerebrasAnswer): this {
    return this.chat(async (call, response) => {
      if (!isStreamRequest(call)) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(cerebrasCompletionBody(withRequestedLogprobs(withReasoningFormat(answer, call), call))));
        return;
      }
      const chunks = cerebrasStreamChunks(withRequestedLogprobs(withReasoningFormat(answer, call), call)).map((chunk) => JSON.stringify(chunk));
      if (answer.cut === true || answer.holdOpen === true || answer.resetAfter !== undefined) chunks.pop();
      else chunks.push('[DONE]');
      await writeSse(response, chunks, answer.delayMs);
      if (answer.resetAfter !== undefined) {
        await answer.resetAfter.catch(() => undefined);
        response.socket?.resetAndDestroy();
        return;
      }
      if (answer.holdOpen === true) {
        await call.aborted;
        return;
      }
      response.end();
    });
  }

  /** Replays a fixture (one JSON chunk or `[DONE]` per line) to streaming requests. */
  fixture(name: string, options: { delayMs?: number } = {}): this {
    const lines = loadCerebrasFixture(name);
    return this.chat(async (_call, response) => {
      await writeSse(response, lines, options.delayMs);
      response.end();
    });
  }

  /** Answers chat requests by resetting the connection (TCP RST) before sending anything. */
  resetConnection(): this {
    this.server.on('POST', '/v1/chat/completions', (_call, response) => {
      response.socket?.resetAndDestroy();
    });
    return this;
  }

  /**
   * Answers chat requests with silence until the client leaves: nothing at all, or with `start`
   * a 200 of that content type and the start of a body, then nothing more.
   */
  silence(start?: { contentType: string; body: string }): this {
    this.server.on('POST', '/v1/chat/completions', async (call, response) => {
      if (start !== undefined) {
        response.writeHead(200, { 'content-type': start.contentType });
        response.write(start.body);
      }
      await call.aborted;
    });
    return this;
  }

  /** Answers chat requests with a 200 whose body is whatever is given (HTML, truncated JSON, bytes). */
  garbage(contentType: string, body: string | Uint8Array): this {
    this.server.on('POST', '/v1/chat/completions', (_call, response) => {
      response.writeHead(200, { 'content-type': contentType });
      response.end(body);
    });
    return this;
  }

  /** Answers chat requests with an error in Cerebras' top-level shape. */
  fail(status: number, body: CerebrasErrorBody, headers: Record<string, string> = {}): this {
    const errorBody = { message: body.message, type: body.type ?? 'invalid_request_error', param: body.param ?? null, code: body.code ?? null };
    return this.chat((_call, response) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(errorBody));
    });
  }

  /** The chat request bodies received, oldest first. */
  chatRequests(): unknown[] {
    return this.server.calls.filter((call) => call.path === '/v1/chat/completions').map((call) => call.json);
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}

function isStreamRequest(call: RecordedCall): boolean {
  return typeof call.json === 'object' && call.json !== null && (call.json as { stream?: unknown }).stream === true;
}

async function writeSse(response: ServerResponse, lines: readonly string[], delayMs: number | undefined): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  for (const line of lines) {
    if (response.destroyed) return;
    response.write(`data: ${line}\n\n`);
    if (delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
