import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { KeyHeadroom } from '../shared/key-headroom.ts';
import type { RestingKey } from '../shared/resting-key.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { ImageGenerationRequest, ImageGenerationResponse } from '../../canonical/image-generation.ts';
import type { ProviderModel } from '../../canonical/model-info.ts';
import type { UpstreamHttpClient } from '../shared/upstream-http-client.ts';
import { OpenAICompatibleAdapter } from '../openai-compatible/openai-compatible-adapter.ts';
import type { CallContext, ProviderAdapter, ProviderFactoryInput, SameProtocolHint } from '../provider-adapter.ts';
import { generatePoeImages } from './generate-poe-images.ts';
import { fetchPoeModelJson, fetchPoeModelList, poeMediaBotIds } from './poe-model-list.ts';
import { PoeMediaBots } from './poe-media-bots.ts';
import { replayChatResponse } from '../replay-chat-response.ts';
import { createPoeOpenAIDialect } from './poe-openai-dialect.ts';
import { refusePoeJsonSchema } from './refuse-poe-json-schema.ts';
import { splitPoeThinkingEvents, splitPoeThinkingResponse } from './split-poe-thinking-events.ts';

/**
 * Poe through its OpenAI-compatible API (`protocol: openai`): chat goes through the generic
 * OpenAI-compatible adapter with Poe's dialect; what is Poe's own is added here — the thinking
 * progress of reasoning bots split from their answer (as on the bot protocol), the model list
 * with its modalities and millisecond timestamps, media bots (image, video, audio output) called
 * with `stream: false` as Poe asks, and image generation by image bots.
 */
export class PoeOpenAIAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'poe';
  private readonly chat: OpenAICompatibleAdapter;
  private readonly httpClient: UpstreamHttpClient;
  private readonly modelsUrl: string;
  private readonly headers: Record<string, string>;
  private readonly mediaBots: PoeMediaBots;

  constructor(input: ProviderFactoryInput, modelsUrl: string) {
    this.id = input.config.id;
    this.chat = new OpenAICompatibleAdapter(input, createPoeOpenAIDialect());
    this.httpClient = input.httpClient;
    this.modelsUrl = modelsUrl;
    this.headers = input.config.headers ?? {};
    this.mediaBots = new PoeMediaBots((context) => fetchPoeModelJson(this.httpClient, this.modelsUrl, this.headers, { ...context, providerId: this.id }).then(poeMediaBotIds));
  }

  restingKeys(): RestingKey[] {
    return this.chat.restingKeys();
  }

  keyHeadroom(): KeyHeadroom[] {
    return this.chat.keyHeadroom();
  }

  async streamChat(request: ChatRequest, context: CallContext, hint?: SameProtocolHint): Promise<AsyncIterable<ChatStreamEvent>> {
    refusePoeJsonSchema(request, this.id);
    // Image, video and audio bots are called with `stream: false`, as Poe asks; the whole answer
    // then reaches the client as a stream all the same.
    if (await this.mediaBots.has(request.model, context)) return replay(replayChatResponse(await this.completeChat({ ...request, stream: false }, context, hint)));
    return splitPoeThinkingEvents(await this.chat.streamChat(request, context, hint));
  }

  async completeChat(request: ChatRequest, context: CallContext, hint?: SameProtocolHint): Promise<ChatResponse> {
    refusePoeJsonSchema(request, this.id);
    return splitPoeThinkingResponse(await this.chat.completeChat(request, context, hint));
  }

  listModels(context: CallContext): Promise<ProviderModel[]> {
    return fetchPoeModelList(this.httpClient, this.modelsUrl, this.headers, { ...context, providerId: this.id });
  }

  generateImages(request: ImageGenerationRequest, context: CallContext): Promise<ImageGenerationResponse> {
    return generatePoeImages(request, context, {
      httpClient: this.httpClient,
      // Poe's guide passes custom bot parameters on its OpenAI-compatible API as top-level fields
      // (the OpenAI SDK's `extra_body`; its own example: GPT-Image-1 with `aspect` and `quality`),
      // best-effort; the aspect also stays in the prompt as `--aspect`, which image bots read.
      chatRequest: (model, prompt, { parameters }) => ({ model, stream: false, messages: [{ role: 'user', parts: [{ type: 'text', text: prompt }] }], providerOptions: { poe: { parameters } } }),
      complete: (chatRequest, callContext) => this.chat.completeChat(chatRequest, callContext),
    });
  }

  close(): Promise<void> {
    return this.chat.close();
  }
}

async function* replay(events: ChatStreamEvent[]): AsyncGenerator<ChatStreamEvent> {
  yield* events;
}
