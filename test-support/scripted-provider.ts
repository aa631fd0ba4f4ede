import type { ChatRequest } from '../src/canonical/chat-request.ts';
import type { ChatResponse } from '../src/canonical/chat-response.ts';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import type { EmbeddingRequest, EmbeddingResponse } from '../src/canonical/embedding.ts';
import type { GatewayError } from '../src/canonical/gateway-error.ts';
import type { ImageGenerationRequest, ImageGenerationResponse } from '../src/canonical/image-generation.ts';
import type { ProviderModel } from '../src/canonical/model-info.ts';
import { collectChatResponse } from '../src/providers/collect-chat-response.ts';
import type { CallContext, ProviderAdapter } from '../src/providers/provider-adapter.ts';
import { normalizeScript } from './normalize-script.ts';

export type Script = ChatStreamEvent[] | GatewayError | ((request: ChatRequest, context: CallContext) => AsyncIterable<ChatStreamEvent>);

/**
 * An in-process provider that answers with scripted canonical events and records every request:
 * for testing inbound protocols without any upstream wire. A GatewayError script is thrown before
 * any output, as a failing upstream would.
 */
export class ScriptedProvider implements ProviderAdapter {
  readonly id: string;
  readonly type = 'scripted';
  readonly requests: ChatRequest[] = [];
  readonly embedRequests: EmbeddingRequest[] = [];
  readonly imageRequests: ImageGenerationRequest[] = [];
  models: ProviderModel[];
  script: Script = [];
  embeddings: number[][] | undefined;
  images: ImageGenerationResponse | undefined;
  /** Resolves with the abort reason once a request's signal fires. */
  lastSignal: AbortSignal | undefined;

  constructor(id: string, models: ProviderModel[] = []) {
    this.id = id;
    this.models = models;
  }

  async streamChat(request: ChatRequest, context: CallContext): Promise<AsyncIterable<ChatStreamEvent>> {
    this.requests.push(request);
    this.lastSignal = context.signal;
    const script = this.script;
    if (script instanceof Error) throw script;
    if (typeof script === 'function') return script(request, context);
    const events = normalizeScript(script);
    return (async function* () {
      yield* events;
    })();
  }

  async completeChat(request: ChatRequest, context: CallContext): Promise<ChatResponse> {
    return collectChatResponse(await this.streamChat(request, context));
  }

  async listModels(): Promise<ProviderModel[]> {
    return this.models;
  }

  async embed(request: EmbeddingRequest): Promise<EmbeddingResponse> {
    this.embedRequests.push(request);
    return { embeddings: this.embeddings ?? request.input.map((text) => [text.length, 1, 0]) };
  }

  async generateImages(request: ImageGenerationRequest): Promise<ImageGenerationResponse> {
    this.imageRequests.push(request);
    return this.images ?? { created: 1700000000, images: [{ url: 'http://127.0.0.1/image.png' }] };
  }

  async close(): Promise<void> {}
}

/** A plain text answer as canonical events. */
export function textScript(text: string, usage = { input: { total: 5 }, output: { total: 3 } }): ChatStreamEvent[] {
  return [
    { type: 'response-start', id: 'resp-1', model: 'scripted-model' },
    { type: 'text-start', id: 't' },
    { type: 'text-delta', id: 't', text },
    { type: 'text-end', id: 't' },
    { type: 'finish', finishReason: 'stop', usage: { ...usage, source: 'upstream' } },
  ];
}
