import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { closeHttpServer, listenOnLoopback } from './loopback-server.ts';
import { poeQueryRequestSchema } from './poe-query-request-schema.ts';

/**
 * A loopback Poe for tests, faithful to the wire:
 * - the bot query protocol as fastapi_poe's server emits it (github:poe-platform/fastapi_poe
 *   src/fastapi_poe/base.py `handle_query`, framed by sse_starlette's `ServerSentEvent.encode`:
 *   `event: <name>\r\ndata: <json>\r\n\r\n`, data as Python's `json.dumps` writes it, `: ping`
 *   comments, `meta` first and `done` last);
 * - the OpenAI-compatible API (`/v1/chat/completions`, `/v1/models` with
 *   `architecture.input_modalities` and `created` in milliseconds, Poe's error shape);
 * - the attachment upload endpoint (`Authorization: <key>` without "Bearer").
 * Bot queries are validated as fastapi_poe's pydantic models (types.py `QueryRequest`,
 * `ProtocolMessage`, `ToolDefinition`, …) would: a body they refuse is answered 422, so a
 * malformed request fails the test instead of passing unseen. Everything received is recorded.
 */

/** One SSE event as a bot sends it; `data` objects are serialized like Python's json.dumps. */
export type PoeWireEvent = { event: string; data: unknown } | { comment: string } | { raw: string };

export interface PoeBotBehaviour {
  events: PoeWireEvent[] | ((call: PoeBotCall) => PoeWireEvent[]);
  /** Send the leading `meta` event (default true) and the closing `done` (default true). */
  meta?: boolean;
  done?: boolean;
  /** Line separator: sse_starlette's default `\r\n`, or `\n`. */
  separator?: '\r\n' | '\n';
  /** Write the body in pieces of this many bytes (splits lines and multi-byte characters). */
  chunkBytes?: number;
  /** Answer with this HTTP error instead of a stream (a function may answer some calls only). */
  httpError?: PoeHttpError | ((call: PoeBotCall) => PoeHttpError | undefined);
  /** After the events, keep the response open (a bot still generating) until the client leaves. */
  holdOpen?: boolean;
  /** `parameter_controls` of the bot's `SettingsResponse` (types.py `ParameterControls`); null by default. */
  parameterControls?: unknown;
}

export interface PoeHttpError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface PoeBotCall {
  bot: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** The client's port: the same for calls that reused a keep-alive connection. */
  remotePort: number | undefined;
  /** Resolves true when the client closed the connection before the response ended. */
  closedEarly: Promise<boolean>;
}

export interface PoeUpload {
  authorization: string | undefined;
  filename?: string;
  contentType?: string;
  bytes?: Buffer;
  downloadUrl?: string;
  downloadFilename?: string;
}

export type PoeOpenAIReply =
  | { text: string; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { error: { status: number; body: unknown } }
  | ((body: Record<string, unknown>) => { status: number; body: unknown });

/** fastapi_poe's `SettingsResponse()` defaults (types.py), as `model_dump()` writes them. */
const DEFAULT_SETTINGS = {
  response_version: 2,
  context_clear_window_secs: null,
  allow_user_context_clear: null,
  custom_rate_card: null,
  server_bot_dependencies: {},
  allow_attachments: null,
  introduction_message: null,
  expand_text_attachments: null,
  enable_image_comprehension: null,
  enforce_author_role_alternation: null,
  enable_multi_bot_chat_prompting: null,
  enable_multi_entity_prompting: null,
  rate_card: null,
  cost_label: null,
};

const META = { content_type: 'text/markdown', refetch_settings: false, linkify: true, suggested_replies: false };

export class FakePoeServer {
  readonly keys = new Set<string>(['poe-test-key']);
  readonly botCalls: PoeBotCall[] = [];
  readonly openaiCalls: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  readonly uploads: PoeUpload[] = [];
  readonly requests: { method: string; path: string; headers: IncomingHttpHeaders }[] = [];
  models: Record<string, unknown>[] = [
    { id: 'GPT-4o', object: 'model', created: 1715644800000, owned_by: 'OpenAI', architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'], modality: 'text,image->text' } },
    { id: 'Llama-3-70b', object: 'model', created: 1713398400000, owned_by: 'Meta', architecture: { input_modalities: ['text'], output_modalities: ['text'], modality: 'text->text' } },
    { id: 'GPT-Image-1', object: 'model', created: 1745884800000, owned_by: 'OpenAI', architecture: { input_modalities: ['text', 'image'], output_modalities: ['image'], modality: 'text,image->image' } },
  ];
  /** Answer uploads with this error instead of storing them. */
  uploadFailure: { status: number; body: unknown } | undefined;
  private readonly bots = new Map<string, PoeBotBehaviour>();
  private readonly openaiReplies = new Map<string, PoeOpenAIReply>();
  private readonly files = new Map<string, { bytes: Buffer; contentType: string }>();
  private readonly server: Server;
  private port = 0;

  /** TCP connections accepted so far: keep-alive reuse shows as calls without new connections. */
  connections = 0;

  private readonly scheme: 'http' | 'https';

  private constructor(tls: { key: string; cert: string } | undefined) {
    const handle = (request: IncomingMessage, response: ServerResponse): void => void this.handle(request, response);
    this.server = tls === undefined ? createServer(handle) : createTlsServer(tls, handle);
    this.scheme = tls === undefined ? 'http' : 'https';
    this.server.on('connection', () => this.connections++);
  }

  /** `tls` serves everything over https, as the real Poe does (proxies then tunnel with CONNECT). */
  static async start(options: { tls?: { key: string; cert: string } } = {}): Promise<FakePoeServer> {
    const fake = new FakePoeServer(options.tls);
    fake.port = await listenOnLoopback(fake.server);
    return fake;
  }

  get baseUrl(): string {
    return `${this.scheme}://127.0.0.1:${this.port}`;
  }
  get botBaseUrl(): string {
    return `${this.baseUrl}/bot/`;
  }
  get openaiBaseUrl(): string {
    return `${this.baseUrl}/v1`;
  }
  get uploadUrl(): string {
    return `${this.baseUrl}/poe_api/file_upload_3RD_PARTY_POST`;
  }

  /** A bot: its events (meta and done are added), a function of the call, or a full behaviour. */
  bot(name: string, behaviour: PoeBotBehaviour | PoeBotBehaviour['events']): this {
    this.bots.set(name, Array.isArray(behaviour) || typeof behaviour === 'function' ? { events: behaviour } : behaviour);
    return this;
  }

  openai(model: string, reply: PoeOpenAIReply): this {
    this.openaiReplies.set(model, reply);
    return this;
  }

  /** Serves bytes at a URL on this server (generated images) and returns the URL. */
  addFile(name: string, bytes: Buffer, contentType: string): string {
    const path = `/files/${this.files.size + 1}/${encodeURIComponent(name)}`;
    this.files.set(path, { bytes, contentType });
    return this.baseUrl + path;
  }

  lastBotCall(): PoeBotCall {
    const call = this.botCalls.at(-1);
    if (call === undefined) throw new Error('no bot call was received');
    return call;
  }

  reset(): void {
    this.botCalls.length = 0;
    this.openaiCalls.length = 0;
    this.uploads.length = 0;
    this.requests.length = 0;
    this.bots.clear();
    this.openaiReplies.clear();
    this.uploadFailure = undefined;
  }

  async close(): Promise<void> {
    await closeHttpServer(this.server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const raw = Buffer.concat(parts);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    this.requests.push({ method, path, headers: request.headers });
    try {
      if (method === 'POST' && path.startsWith('/bot/')) return await this.answerBot(decodeURIComponent(path.slice(5)), request, raw, response);
      if (method === 'GET' && path === '/v1/models') return sendJson(response, 200, { object: 'list', data: this.models });
      // https://creator.poe.com/api-reference/getCurrentBalance: needs the key, unlike the model list.
      if (method === 'GET' && path === '/usage/current_balance') {
        const key = this.bearerKey(request.headers);
        if (key === undefined || !this.keys.has(key)) return sendJson(response, 401, { error: { code: 401, type: 'authentication_error', message: 'Invalid API key' } });
        return sendJson(response, 200, { current_point_balance: 1000 });
      }
      if (method === 'POST' && path === '/v1/chat/completions') return this.answerOpenAI(request.headers, raw, response);
      if (method === 'POST' && path === '/poe_api/file_upload_3RD_PARTY_POST') return this.answerUpload(request.headers, raw, response);
      const file = method === 'GET' ? this.files.get(path) : undefined;
      if (file !== undefined) {
        response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
        response.end(file.bytes);
        return;
      }
      sendJson(response, 404, { detail: 'Not Found' });
    } catch (error) {
      if (!response.headersSent) sendJson(response, 500, { detail: String(error) });
      else response.destroy();
    }
  }

  private bearerKey(headers: IncomingHttpHeaders): string | undefined {
    const value = headers.authorization;
    return value?.startsWith('Bearer ') ? value.slice(7) : undefined;
  }

  private async answerBot(bot: string, request: IncomingMessage, raw: Buffer, response: ServerResponse): Promise<void> {
    const headers = request.headers;
    const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const closedEarly = new Promise<boolean>((resolve) => response.once('close', () => resolve(!response.writableFinished)));
    const call: PoeBotCall = { bot, headers, body, remotePort: request.socket.remotePort, closedEarly };
    this.botCalls.push(call);
    const key = this.bearerKey(headers);
    if (key === undefined || !this.keys.has(key)) return sendJson(response, 401, { detail: 'Invalid API key' });
    const behaviour = this.bots.get(bot);
    if (behaviour === undefined) return sendJson(response, 404, { detail: `Bot '${bot}' does not exist` });
    // base.py: `type: "settings"` is answered with the bot's SettingsResponse as JSON.
    if (body.type === 'settings') return sendJson(response, 200, { ...DEFAULT_SETTINGS, parameter_controls: behaviour.parameterControls ?? null });
    const invalid = poeQueryRequestSchema.safeParse(body);
    if (!invalid.success) {
      return sendJson(response, 422, { detail: invalid.error.issues.map((issue) => ({ loc: ['body', ...issue.path], msg: issue.message })) });
    }
    const httpError = typeof behaviour.httpError === 'function' ? behaviour.httpError(call) : behaviour.httpError;
    if (httpError !== undefined) return sendJson(response, httpError.status, httpError.body, httpError.headers);
    const separator = behaviour.separator ?? '\r\n';
    const events = typeof behaviour.events === 'function' ? behaviour.events(call) : behaviour.events;
    let text = '';
    if (behaviour.meta !== false) text += encodeEvent({ event: 'meta', data: META }, separator);
    for (const event of events) text += encodeEvent(event, separator);
    if (behaviour.done !== false && behaviour.holdOpen !== true) text += encodeEvent({ event: 'done', data: '{}' }, separator);
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    const bytes = Buffer.from(text, 'utf8');
    const size = behaviour.chunkBytes ?? bytes.length;
    for (let offset = 0; offset < bytes.length; offset += size) {
      if (response.destroyed) return;
      response.write(bytes.subarray(offset, offset + size));
      // Give the client a chance to read pieces separately.
      if (behaviour.chunkBytes !== undefined) await new Promise((resolve) => setImmediate(resolve));
    }
    if (behaviour.holdOpen === true) return;
    response.end();
  }

  private answerOpenAI(headers: IncomingHttpHeaders, raw: Buffer, response: ServerResponse): void {
    const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    this.openaiCalls.push({ headers, body });
    const key = this.bearerKey(headers);
    if (key === undefined || !this.keys.has(key)) {
      // https://creator.poe.com/api-reference/errors: a bad key is a 401 typed invalid_request_error.
      return sendJson(response, 401, { error: { message: 'Invalid API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    const model = String(body['model']);
    const reply = this.openaiReplies.get(model);
    if (reply === undefined) {
      return sendJson(response, 400, { error: { message: `Model '${model}' does not exist`, type: 'invalid_request_error', code: 'model_not_found' } });
    }
    if (typeof reply === 'function') {
      const answer = reply(body);
      return sendJson(response, answer.status, answer.body);
    }
    if ('error' in reply) return sendJson(response, reply.error.status, reply.error.body);
    const usage = reply.usage ?? { prompt_tokens: 11, completion_tokens: 7 };
    const usageBody = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
    const head = { id: 'chatcmpl-poe1', created: 1750000000, model };
    if (body['stream'] !== true) {
      const message = { role: 'assistant', content: reply.text, refusal: null };
      return sendJson(response, 200, { ...head, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: 'stop', logprobs: null }], usage: usageBody });
    }
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    const chunk = (choice: unknown, extra: Record<string, unknown> = {}): string =>
      `data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [choice], ...extra })}\n\n`;
    let text = chunk({ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null });
    for (const piece of reply.text.match(/\S*\s*/g) ?? []) if (piece !== '') text += chunk({ index: 0, delta: { content: piece }, finish_reason: null });
    text += chunk({ index: 0, delta: {}, finish_reason: 'stop' }, { usage: usageBody });
    response.end(text + 'data: [DONE]\n\n');
  }

  private answerUpload(headers: IncomingHttpHeaders, raw: Buffer, response: ServerResponse): void {
    const upload: PoeUpload = { authorization: headers.authorization };
    const contentType = headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      const boundary = /boundary=([^;]+)/.exec(contentType)?.[1] ?? '';
      Object.assign(upload, parseMultipartFile(raw, boundary));
    } else {
      const form = new URLSearchParams(raw.toString('utf8'));
      const downloadUrl = form.get('download_url');
      const downloadFilename = form.get('download_filename');
      if (downloadUrl !== null) upload.downloadUrl = downloadUrl;
      if (downloadFilename !== null) upload.downloadFilename = downloadFilename;
    }
    this.uploads.push(upload);
    if (upload.authorization === undefined || !this.keys.has(upload.authorization)) return sendJson(response, 401, { error: 'Invalid API key' });
    if (this.uploadFailure !== undefined) return sendJson(response, this.uploadFailure.status, this.uploadFailure.body);
    const name = upload.filename ?? upload.downloadFilename ?? 'file';
    const mime = upload.contentType ?? (name.endsWith('.png') ? 'image/png' : 'image/jpeg');
    const url = this.addFile(name, upload.bytes ?? Buffer.alloc(0), mime).replace(this.baseUrl, 'https://pfst.cf2.poecdn.net/base');
    sendJson(response, 200, { attachment_url: url, mime_type: mime });
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...headers, 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** sse_starlette `ServerSentEvent.encode`: `event:`, one `data:` line per line, a blank line. */
function encodeEvent(event: PoeWireEvent, separator: string): string {
  if ('raw' in event) return event.raw;
  if ('comment' in event) return `: ${event.comment}${separator}${separator}`;
  const data = typeof event.data === 'string' ? event.data : pythonJsonDumps(event.data);
  let text = `event: ${event.event}${separator}`;
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}${separator}`;
  return text + separator;
}

/** Python's `json.dumps` defaults: `", "` and `": "` separators, non-ASCII as `\uXXXX`. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'));
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(pythonJsonDumps).join(', ') + ']';
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  return '{' + entries.map(([key, item]) => pythonJsonDumps(key) + ': ' + pythonJsonDumps(item)).join(', ') + '}';
}

function parseMultipartFile(raw: Buffer, boundary: string): Partial<PoeUpload> {
  const delimiter = Buffer.from(`--${boundary}`);
  const start = raw.indexOf(delimiter);
  const headerEnd = raw.indexOf('\r\n\r\n', start);
  const end = raw.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd);
  if (start === -1 || headerEnd === -1 || end === -1) return {};
  const head = raw.subarray(start + delimiter.length, headerEnd).toString('utf8');
  const result: Partial<PoeUpload> = { bytes: Buffer.from(raw.subarray(headerEnd + 4, end)) };
  const filename = /filename="([^"]*)"/.exec(head)?.[1];
  const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1];
  if (filename !== undefined) result.filename = filename;
  if (contentType !== undefined) result.contentType = contentType.trim();
  if (!/name="file"/.test(head)) result.filename = `(field is not 'file': ${head.trim()})`;
  return result;
}
