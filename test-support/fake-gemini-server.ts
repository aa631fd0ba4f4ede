import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { geminiSchemaProblem } from './gemini-schema-check.ts';
import { closeHttpServer, listenOnLoopback } from './loopback-server.ts';

/**
 * Google's Gemini API as llmux's `gemini` provider meets it, written from the REST reference
 * (https://ai.google.dev/api), js-genai `src/types.ts` and the errors the API is known to answer:
 * `generateContent`, `streamGenerateContent?alt=sse` (events end in `\r\n\r\n`), paginated
 * `GET /models`, `embedContent`/`batchEmbedContents`, `{"error":{code,message,status,details}}`
 * (429 RESOURCE_EXHAUSTED with RetryInfo), `promptFeedback.blockReason`, thought signatures on
 * parts — required back on Gemini 3 function calls — and its strict schema check of
 * `functionDeclarations`.
 */
export interface FakeGeminiModel {
  /** Without `models/`. */
  name: string;
  methods?: string[];
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  thinking?: boolean;
}

export type FakeGeminiPart = Record<string, unknown>;

export interface FakeGeminiReply {
  /** One array of parts per streamed event; a whole answer joins them. */
  chunks?: FakeGeminiPart[][];
  finishReason?: string;
  usage?: Record<string, number>;
  blockReason?: string;
  error?: { httpStatus: number; status: string; message: string; retryDelay?: string };
  /** The chunks, then the body ends with no finish reason (a connection cut mid-answer). */
  cut?: boolean;
  /** The chunks, then nothing more until the client leaves. */
  hold?: boolean;
}

export interface FakeGeminiCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  json: unknown;
  /** Resolves true when the client closed the connection before the answer ended. */
  closedEarly: Promise<boolean>;
}

const SKIP_VALIDATOR = 'skip_thought_signature_validator';
const TOP_LEVEL = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'safetySettings', 'cachedContent']);
const PART_FIELDS = new Set(['text', 'thought', 'thoughtSignature', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult', 'videoMetadata']);

export class FakeGeminiServer {
  readonly calls: FakeGeminiCall[] = [];
  /** Every thought signature this server handed out. */
  readonly issuedSignatures = new Set<string>();
  private readonly replies: FakeGeminiReply[] = [];
  private standing: FakeGeminiReply | undefined;
  private readonly server: Server;
  private port = 0;
  private signatureCount = 0;
  private readonly apiKey: string;
  private readonly models: FakeGeminiModel[];
  private readonly pageSize: number;

  private constructor(options: { apiKey: string; models: FakeGeminiModel[]; pageSize: number }) {
    this.apiKey = options.apiKey;
    this.models = options.models;
    this.pageSize = options.pageSize;
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(options: { apiKey?: string; models: FakeGeminiModel[]; pageSize?: number }): Promise<FakeGeminiServer> {
    const fake = new FakeGeminiServer({ apiKey: options.apiKey ?? 'gemini-test-key', models: options.models, pageSize: options.pageSize ?? 50 });
    fake.port = await listenOnLoopback(fake.server);
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  reply(reply: FakeGeminiReply): this {
    this.replies.push(reply);
    return this;
  }

  /** The answer to every later call that has no queued reply of its own. */
  replyAlways(reply: FakeGeminiReply): this {
    this.standing = reply;
    return this;
  }

  generateCalls(): FakeGeminiCall[] {
    return this.calls.filter((call) => /:(stream)?[gG]enerateContent$/.test(call.path));
  }

  async close(): Promise<void> {
    await closeHttpServer(this.server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://fake');
    let json: unknown;
    try {
      json = chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendError(response, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.');
    }
    const closedEarly = new Promise<boolean>((resolve) => response.on('close', () => resolve(!response.writableFinished)));
    this.calls.push({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers, json, closedEarly });
    const key = request.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (key === undefined || key === null) {
      return sendError(response, 403, 'PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.');
    }
    if (key !== this.apiKey) {
      return sendError(response, 400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }]);
    }
    const version = /^\/(v1beta|v1|v1alpha)\//.exec(url.pathname)?.[1];
    if (version === undefined) return notFound(response);
    const rest = url.pathname.slice(version.length + 1);
    if (request.method === 'GET' && rest === '/models') return this.listModels(url.searchParams, response);
    const match = /^\/models\/([^:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/.exec(rest);
    if (request.method !== 'POST' || match === null) return notFound(response);
    const [, name, method] = match as unknown as [string, string, string];
    const model = this.models.find((candidate) => candidate.name === name);
    // The list names generateContent and embedContent only; their stream and batch forms come with them.
    const wanted = method === 'streamGenerateContent' ? 'generateContent' : method === 'batchEmbedContents' ? 'embedContent' : method;
    if (model === undefined || !(model.methods ?? ['generateContent', 'countTokens']).includes(wanted)) {
      return sendError(response, 404, 'NOT_FOUND', `models/${name} is not found for API version ${version}, or is not supported for ${wanted}. Call ListModels to see the list of available models and their supported methods.`);
    }
    const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    if (method === 'embedContent' || method === 'batchEmbedContents') return this.embed(method, name, body, response);
    const problem = this.requestProblem(model, body);
    if (problem !== undefined) return sendError(response, 400, 'INVALID_ARGUMENT', problem);
    return this.generate(model, body, method === 'streamGenerateContent', url.searchParams.get('alt') === 'sse', response);
  }

  private listModels(query: URLSearchParams, response: ServerResponse): void {
    const size = Math.min(Number(query.get('pageSize') ?? this.pageSize), this.pageSize);
    const start = Number(query.get('pageToken') ?? '0');
    const page = this.models.slice(start, start + size).map((model) => ({
      name: `models/${model.name}`,
      version: '001',
      displayName: model.name.replaceAll('-', ' '),
      inputTokenLimit: model.inputTokenLimit ?? 1048576,
      outputTokenLimit: model.outputTokenLimit ?? 65536,
      supportedGenerationMethods: model.methods ?? ['generateContent', 'countTokens'],
      ...(model.thinking === undefined ? {} : { thinking: model.thinking }),
    }));
    const next = start + size < this.models.length ? { nextPageToken: String(start + size) } : {};
    sendJson(response, 200, { models: page, ...next });
  }

  private requestProblem(model: FakeGeminiModel, body: Record<string, unknown>): string | undefined {
    for (const key of Object.keys(body)) if (!TOP_LEVEL.has(key)) return `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`;
    const contents = Array.isArray(body.contents) ? (body.contents as Record<string, unknown>[]) : [];
    if (contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified\n';
    for (const [index, content] of contents.entries()) {
      for (const [position, part] of (Array.isArray(content.parts) ? (content.parts as Record<string, unknown>[]) : []).entries()) {
        for (const key of Object.keys(part)) if (!PART_FIELDS.has(key)) return `Invalid JSON payload received. Unknown name "${key}" at 'contents[${index}].parts[${position}]': Cannot find field.`;
        const response = part.functionResponse as Record<string, unknown> | undefined;
        if (response !== undefined && (typeof response.name !== 'string' || response.name === '')) return `* GenerateContentRequest.contents[${index}].parts[${position}].function_response.name: Name cannot be empty.\n`;
      }
    }
    const tools = Array.isArray(body.tools) ? (body.tools as Record<string, unknown>[]) : [];
    for (const [toolIndex, tool] of tools.entries()) {
      const declarations = Array.isArray(tool.functionDeclarations) ? (tool.functionDeclarations as Record<string, unknown>[]) : [];
      for (const [index, declaration] of declarations.entries()) {
        if (typeof declaration.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/.test(declaration.name)) {
          return `* GenerateContentRequest.tools[${toolIndex}].function_declarations[${index}].name: Invalid function name.\n`;
        }
        if (declaration.parameters !== undefined) {
          const problem = geminiSchemaProblem(declaration.parameters, `tools[${toolIndex}].functionDeclarations[${index}].parameters`);
          if (problem !== undefined) return problem;
        }
      }
    }
    const config = (body.generationConfig ?? {}) as Record<string, unknown>;
    if (config.responseSchema !== undefined) {
      const problem = geminiSchemaProblem(config.responseSchema, 'generationConfig.responseSchema');
      if (problem !== undefined) return problem;
    }
    const thinking = config.thinkingConfig as Record<string, unknown> | undefined;
    if (thinking !== undefined && model.thinking !== true) return 'Thinking is not supported by this model.';
    if (model.name.startsWith('gemini-3')) return this.signatureProblem(contents);
    return undefined;
  }

  /** Gemini 3: the first function call of every model turn since the last user text needs its signature back. */
  private signatureProblem(contents: Record<string, unknown>[]): string | undefined {
    let currentTurn = 0;
    contents.forEach((content, index) => {
      const parts = (content.parts ?? []) as Record<string, unknown>[];
      if (content.role === 'user' && parts.some((part) => typeof part.text === 'string')) currentTurn = index;
    });
    for (const [index, content] of contents.entries()) {
      if (index < currentTurn || content.role !== 'model') continue;
      const parts = (content.parts ?? []) as Record<string, unknown>[];
      const position = parts.findIndex((part) => part.functionCall !== undefined);
      if (position === -1) continue;
      const part = parts[position] as Record<string, unknown>;
      const name = (part.functionCall as Record<string, unknown>).name;
      const signature = part.thoughtSignature;
      if (signature === undefined) {
        return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${String(name)}\`, position ${index + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
      }
      if (signature !== SKIP_VALIDATOR && !this.issuedSignatures.has(String(signature))) return 'Corrupted thought signature.';
    }
    return undefined;
  }

  private generate(model: FakeGeminiModel, body: Record<string, unknown>, stream: boolean, sse: boolean, response: ServerResponse): void {
    const reply = this.replies.shift() ?? this.standing ?? { chunks: [[{ text: 'Hello from Gemini' }]] };
    if (reply.error !== undefined) {
      const details: Record<string, unknown>[] = [];
      if (reply.error.retryDelay !== undefined) {
        details.push({ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] });
        details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: reply.error.retryDelay });
      }
      return sendError(response, reply.error.httpStatus, reply.error.status, reply.error.message, details);
    }
    const includeThoughts = ((body.generationConfig as Record<string, unknown> | undefined)?.thinkingConfig as Record<string, unknown> | undefined)?.includeThoughts === true;
    const chunks = (reply.chunks ?? []).map((parts) => parts.filter((part) => part.thought !== true || includeThoughts).map((part) => this.signed(model, part)));
    const thoughtTokens = reply.chunks?.flat().some((part) => part.thought === true) === true ? 40 : undefined;
    const usage = reply.usage ?? { promptTokenCount: 11, candidatesTokenCount: 5, ...(thoughtTokens === undefined ? {} : { thoughtsTokenCount: thoughtTokens }) };
    const full = { ...usage, totalTokenCount: Object.values(usage).reduce((sum, value) => sum + value, 0) };
    const head = { modelVersion: model.name, responseId: 'resp-fake-1' };
    if (reply.blockReason !== undefined) {
      const blocked = { promptFeedback: { blockReason: reply.blockReason, safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }] }, usageMetadata: { promptTokenCount: 11, totalTokenCount: 11 }, ...head };
      return stream ? sendEvents(response, [blocked], sse) : sendJson(response, 200, blocked);
    }
    const finishReason = reply.finishReason ?? 'STOP';
    const open = reply.cut === true || reply.hold === true;
    const candidate = (parts: FakeGeminiPart[], last: boolean): Record<string, unknown> => ({ content: { role: 'model', parts }, index: 0, ...(last && !open ? { finishReason } : {}) });
    if (!stream) return sendJson(response, 200, { candidates: [candidate(chunks.flat(), true)], usageMetadata: full, ...head });

    const config = (body.generationConfig ?? {}) as Record<string, unknown>;
    const withLogprobs = (parts: FakeGeminiPart[], value: Record<string, unknown>): Record<string, unknown> => {
      if (config.responseLogprobs !== true) return value;
      // One step per answer text part here; the real API has one per token.
      const texts = parts.filter((part) => part.thought !== true && typeof part.text === 'string').map((part) => String(part.text));
      const chosenCandidates = texts.map((token) => ({ token, logProbability: -0.25 }));
      const topCandidates = typeof config.logprobs === 'number' ? texts.map((token) => ({ candidates: [{ token, logProbability: -0.25 }, { token: '?', logProbability: -2 }] })) : undefined;
      return { ...value, logprobsResult: { chosenCandidates, ...(topCandidates === undefined ? {} : { topCandidates }) } };
    };
    const events = chunks.map((parts, index) => ({
      candidates: [withLogprobs(parts, candidate(parts, index === chunks.length - 1))],
      usageMetadata: index === chunks.length - 1 ? full : { promptTokenCount: usage.promptTokenCount ?? 11, totalTokenCount: usage.promptTokenCount ?? 11 },
      ...head,
    }));
    if (events.length === 0) events.push({ candidates: [candidate([], true)], usageMetadata: full, ...head });
    sendEvents(response, events, sse, reply.hold === true);
  }

  /** Thinking models sign every function call they make (and the last text part when asked to with `thoughtSignature: true`). */
  private signed(model: FakeGeminiModel, part: FakeGeminiPart): FakeGeminiPart {
    const wanted = part.thoughtSignature === true || (part.functionCall !== undefined && part.thoughtSignature === undefined && model.thinking === true);
    if (typeof part.thoughtSignature === 'string') this.issuedSignatures.add(part.thoughtSignature);
    if (!wanted) return part;
    const signature = Buffer.from(`fake-signature-${++this.signatureCount}`).toString('base64');
    this.issuedSignatures.add(signature);
    return { ...part, thoughtSignature: signature };
  }

  private embed(method: string, name: string, body: Record<string, unknown>, response: ServerResponse): void {
    const vector = (content: unknown, dimensions: unknown): number[] => {
      const text = ((content as { parts?: { text?: string }[] } | undefined)?.parts ?? []).map((part) => part.text ?? '').join('');
      return Array.from({ length: typeof dimensions === 'number' ? dimensions : 3 }, (_unused, index) => (text.length + index) / 4);
    };
    if (method === 'embedContent') return sendJson(response, 200, { embedding: { values: vector(body.content, body.outputDimensionality) } });
    const requests = Array.isArray(body.requests) ? (body.requests as Record<string, unknown>[]) : [];
    for (const [index, entry] of requests.entries()) {
      if (entry.model !== `models/${name}`) return sendError(response, 400, 'INVALID_ARGUMENT', `* BatchEmbedContentsRequest.requests[${index}].model: The model in the request must match the model in the path.\n`);
    }
    sendJson(response, 200, { embeddings: requests.map((entry) => ({ values: vector(entry.content, entry.outputDimensionality) })) });
  }
}

function sendEvents(response: ServerResponse, events: unknown[], sse: boolean, hold = false): void {
  if (!sse) {
    // Without alt=sse the API streams one JSON array.
    response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    response.end('[' + events.map((event) => JSON.stringify(event)).join(',\r\n') + ']');
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const event of events) response.write(`data: ${JSON.stringify(event)}\r\n\r\n`);
  if (!hold) response.end();
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}

const CODE_BY_STATUS: Record<string, number> = { INVALID_ARGUMENT: 400, PERMISSION_DENIED: 403, NOT_FOUND: 404, RESOURCE_EXHAUSTED: 429, INTERNAL: 500, UNAVAILABLE: 503 };

function sendError(response: ServerResponse, httpStatus: number, status: string, message: string, details: Record<string, unknown>[] = []): void {
  sendJson(response, httpStatus, { error: { code: CODE_BY_STATUS[status] ?? httpStatus, message, status, ...(details.length === 0 ? {} : { details }) } });
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' });
  response.end('<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)!!1</title><p>The requested URL was not found on this server.</p></html>');
}
