import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeHttpServer, listenOnLoopback } from './loopback-server.ts';

/**
 * A real Ollama server as llmux's `ollama` provider meets it, written from ollama `server/routes.go`,
 * `api/types.go`, `docs/api.md` and /work/shared/reference/ollama-api.md: `/api/chat` NDJSON with
 * its metrics on the last line, whole tool calls with object arguments, `/api/tags`, `/api/show`
 * with capabilities and `model_info`, `/api/embed` with L2-normalised vectors, `{"error"}` bodies,
 * capability refusals in Ollama's words, and an `{"error"}` line after a stream started.
 */
export interface FakeOllamaModel {
  /** `name:tag`; `:latest` is added when there is no tag. */
  name: string;
  family: string;
  capabilities: string[];
  contextLength: number;
}

export interface FakeOllamaReply {
  thinking?: string[];
  content?: string[];
  toolCalls?: { id?: string; name: string; arguments: Record<string, unknown> }[];
  doneReason?: 'stop' | 'length';
  promptEvalCount?: number;
  evalCount?: number;
  /** Written as a last `{"error":…}` line (HTTP 200) after the chunks, instead of `done:true`. */
  errorAfter?: string;
  /** An HTTP error before any output, as `{"error":message}`. */
  httpError?: { status: number; message: string; retryAfter?: string };
  /** The chunks, then the body ends with no `done` line (a connection cut mid-answer). */
  cut?: boolean;
  /** The chunks, then nothing more until the client leaves. */
  hold?: boolean;
}

export interface FakeOllamaCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  json: unknown;
  /** Resolves true when the client closed the connection before the answer ended. */
  closedEarly: Promise<boolean>;
}

const NANOS_PER_MS = 1_000_000;

export class FakeOllamaUpstream {
  readonly calls: FakeOllamaCall[] = [];
  private readonly replies: FakeOllamaReply[] = [];
  private standing: FakeOllamaReply | undefined;
  private readonly server: Server;
  private port = 0;
  private readonly models: FakeOllamaModel[];
  private readonly apiKey: string | undefined;

  private constructor(models: FakeOllamaModel[], apiKey: string | undefined) {
    this.models = models.map((model) => ({ ...model, name: model.name.includes(':') ? model.name : `${model.name}:latest` }));
    this.apiKey = apiKey;
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(models: FakeOllamaModel[], options: { apiKey?: string } = {}): Promise<FakeOllamaUpstream> {
    const fake = new FakeOllamaUpstream(models, options.apiKey);
    fake.port = await listenOnLoopback(fake.server);
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next `/api/chat` answer; without one the model says "Hello from Ollama". */
  reply(reply: FakeOllamaReply): this {
    this.replies.push(reply);
    return this;
  }

  /** The answer to every later call that has no queued reply of its own. */
  replyAlways(reply: FakeOllamaReply): this {
    this.standing = reply;
    return this;
  }

  chatCalls(): FakeOllamaCall[] {
    return this.calls.filter((call) => call.path === '/api/chat');
  }

  async close(): Promise<void> {
    await closeHttpServer(this.server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const closedEarly = new Promise<boolean>((resolve) => response.on('close', () => resolve(!response.writableFinished)));
    this.calls.push({ method: request.method ?? 'GET', path, headers: request.headers, json, closedEarly });
    if (this.apiKey !== undefined && request.headers.authorization !== `Bearer ${this.apiKey}`) return sendJson(response, 401, { error: 'unauthorized' });
    const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    if (request.method === 'GET' && path === '/api/tags') return sendJson(response, 200, { models: this.models.map((model) => this.listed(model)) });
    if (request.method === 'POST' && path === '/api/show') return this.show(body, response);
    if (request.method === 'POST' && path === '/api/chat') return this.chat(text, body, response);
    if (request.method === 'POST' && path === '/api/embed') return this.embed(body, response);
    if (request.method === 'POST' && path === '/api/generate') return this.generate(body, response);
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('404 page not found');
  }

  private find(name: unknown): FakeOllamaModel | undefined {
    if (typeof name !== 'string') return undefined;
    const full = name.includes(':') ? name : `${name}:latest`;
    return this.models.find((model) => model.name === full);
  }

  private listed(model: FakeOllamaModel): Record<string, unknown> {
    return {
      name: model.name,
      model: model.name,
      modified_at: '2026-11-01T10:00:00.123456Z',
      size: 2019393189,
      digest: createHash('sha256').update(model.name).digest('hex'),
      details: { parent_model: '', format: 'gguf', family: model.family, families: [model.family], parameter_size: '8.0B', quantization_level: 'Q4_K_M' },
    };
  }

  private show(body: Record<string, unknown>, response: ServerResponse): void {
    const name = body.model ?? body.name;
    if (typeof name !== 'string' || name === '') return sendJson(response, 400, { error: 'model is required' });
    const model = this.find(name);
    if (model === undefined) return sendJson(response, 404, { error: `model '${name}' not found` });
    const listed = this.listed(model);
    sendJson(response, 200, {
      license: '',
      modelfile: `# Modelfile generated by "ollama show"\nFROM ${model.name}\n`,
      parameters: 'stop                           "<|eot_id|>"',
      template: '{{ .Prompt }}',
      details: listed.details,
      model_info: { 'general.architecture': model.family, 'general.parameter_count': 8030261248, [`${model.family}.context_length`]: model.contextLength },
      capabilities: model.capabilities,
      modified_at: listed.modified_at,
    });
  }

  private async chat(text: string, body: Record<string, unknown>, response: ServerResponse): Promise<void> {
    if (text === '') return sendJson(response, 400, { error: 'missing request body' });
    if (typeof body.model !== 'string' || body.model.trim() === '') return sendJson(response, 400, { error: 'model is required' });
    const model = this.find(body.model);
    if (model === undefined) return sendJson(response, 404, { error: `model '${body.model}' not found` });
    const name = body.model;
    const has = (capability: string): boolean => model.capabilities.includes(capability);
    // server/routes.go ChatHandler: thinking before scheduling, then CheckCapabilities (images.go).
    const think = body.think;
    if (!has('thinking') && (think === true || typeof think === 'string')) return sendJson(response, 400, { error: `"${name}" does not support thinking` });
    if (!has('completion')) return sendJson(response, 400, { error: `"${name}" does not support chat` });
    const tools = Array.isArray(body.tools) ? body.tools : [];
    if (tools.length > 0 && !has('tools')) return sendJson(response, 400, { error: `registry.ollama.ai/library/${model.name} does not support tools` });
    const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
    for (const message of messages) {
      for (const image of Array.isArray(message.images) ? message.images : []) {
        if (typeof image !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(image)) return sendJson(response, 400, { error: 'illegal base64 data at input byte 4' });
      }
    }
    const created = '2026-12-06T01:00:00.123456Z';
    const head = { model: name, created_at: created };
    if (messages.length === 0) return sendJson(response, 200, { ...head, message: { role: 'assistant', content: '' }, done: true, done_reason: 'load' });
    const reply = this.replies.shift() ?? this.standing ?? { content: ['Hello', ' from Ollama'] };
    if (reply.httpError !== undefined) {
      const headers: Record<string, string> = reply.httpError.retryAfter === undefined ? {} : { 'retry-after': reply.httpError.retryAfter };
      return sendJson(response, reply.httpError.status, { error: reply.httpError.message }, headers);
    }
    // Thinking comes only when asked for on a thinking model (absent `think` means true there).
    const thinking = has('thinking') && think !== false ? (reply.thinking ?? []) : [];
    const lines: Record<string, unknown>[] = [];
    for (const piece of thinking) lines.push({ ...head, message: { role: 'assistant', content: '', thinking: piece }, done: false });
    for (const piece of reply.content ?? []) lines.push({ ...head, message: { role: 'assistant', content: piece }, done: false });
    (reply.toolCalls ?? []).forEach((call, index) => {
      const id = call.id ?? `call_${createHash('sha256').update(`${call.name}${index}${this.calls.length}`).digest('hex').slice(0, 8)}`;
      lines.push({ ...head, message: { role: 'assistant', content: '', tool_calls: [{ id, function: { index, name: call.name, arguments: call.arguments } }] }, done: false });
    });
    const metrics = {
      total_duration: 480 * NANOS_PER_MS,
      load_duration: 20 * NANOS_PER_MS,
      prompt_eval_count: reply.promptEvalCount ?? 26,
      prompt_eval_duration: 60 * NANOS_PER_MS,
      eval_count: reply.evalCount ?? 12,
      eval_duration: 400 * NANOS_PER_MS,
    };
    const last = { ...head, message: { role: 'assistant', content: '' }, done: true, done_reason: reply.doneReason ?? 'stop', ...metrics };
    if (body.stream === false) {
      if (reply.errorAfter !== undefined) return sendJson(response, 500, { error: reply.errorAfter });
      const message: Record<string, unknown> = { role: 'assistant', content: (reply.content ?? []).join('') };
      if (thinking.length > 0) message.thinking = thinking.join('');
      const calls = lines.flatMap((line) => ((line.message as Record<string, unknown>).tool_calls as unknown[] | undefined) ?? []);
      if (calls.length > 0) message.tool_calls = calls;
      return sendJson(response, 200, { ...last, message });
    }
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const line of lines) response.write(JSON.stringify(line) + '\n');
    if (reply.hold === true) return;
    if (reply.cut === true) {
      response.end();
      return;
    }
    response.end(JSON.stringify(reply.errorAfter === undefined ? last : { error: reply.errorAfter }) + '\n');
  }

  /** `/api/generate` (server/routes.go GenerateHandler): `response` pieces, `context` on the last line. */
  private generate(body: Record<string, unknown>, response: ServerResponse): void {
    const model = this.find(body.model);
    if (model === undefined) return sendJson(response, 404, { error: `model '${String(body.model ?? '')}' not found` });
    if (body.raw === true && (body.system !== undefined || body.template !== undefined || body.context !== undefined)) {
      return sendJson(response, 400, { error: 'raw mode does not support template, system, or context' });
    }
    if (typeof body.suffix === 'string' && body.suffix !== '' && !model.capabilities.includes('insert')) {
      return sendJson(response, 400, { error: `registry.ollama.ai/library/${model.name} does not support insert` });
    }
    const reply = this.replies.shift() ?? { content: ['return a + b'] };
    const head = { model: body.model, created_at: '2026-12-06T01:00:00.123456Z' };
    const lines = (reply.content ?? []).map((piece) => ({ ...head, response: piece, done: false }));
    const last = { ...head, response: '', done: true, done_reason: 'stop', context: [1, 2, 3], total_duration: 1000, load_duration: 10, prompt_eval_count: reply.promptEvalCount ?? 9, prompt_eval_duration: 100, eval_count: reply.evalCount ?? 4, eval_duration: 800 };
    if (body.stream === false) return sendJson(response, 200, { ...last, response: (reply.content ?? []).join('') });
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const line of lines) response.write(JSON.stringify(line) + '\n');
    response.end(JSON.stringify(last) + '\n');
  }

  private embed(body: Record<string, unknown>, response: ServerResponse): void {
    const model = this.find(body.model);
    if (model === undefined) return sendJson(response, 404, { error: `model '${String(body.model)}' not found` });
    if (!model.capabilities.includes('embedding')) return sendJson(response, 400, { error: `${model.name} does not support embedding` });
    const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : [];
    if (inputs.some((input) => typeof input !== 'string')) return sendJson(response, 400, { error: 'invalid input type' });
    const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 4;
    const embeddings = (inputs as string[]).map((input) => normalised(Array.from({ length: dimensions }, (_unused, index) => input.length + index + 1)));
    sendJson(response, 200, { model: body.model, embeddings, total_duration: 14 * NANOS_PER_MS, load_duration: 1 * NANOS_PER_MS, prompt_eval_count: inputs.length * 3 });
  }
}

function normalised(vector: number[]): number[] {
  const length = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vector.map((value) => value / length);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}
