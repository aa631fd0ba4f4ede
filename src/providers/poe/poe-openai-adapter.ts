import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { ImageGenerationRequest, ImageGenerationResponse } from '../../canonical/image-generation.ts';
import type { ProviderModel } from '../../canonical/model-info.ts';
import type { UpstreamHttpClient } from '../shared/upstream-http-client.ts';
import { OpenAICompatibleAdapter } from '../openai-compatible/openai-compatible-adapter.ts';
import type { CallContext, ProviderAdapter, ProviderFactoryInput } from '../provider-adapter.ts';
import { generatePoeImages } from './generate-poe-images.ts';
import { fetchPoeModelList } from './poe-model-list.ts';
import { createPoeOpenAIDialect } from './poe-openai-dialect.ts';
import { splitPoeThinkingEvents, splitPoeThinkingResponse } from './split-poe-thinking-events.ts';

/**
 * Poe through its OpenAI-compatible API (`protocol: openai`): chat goes through the generic
 * OpenAI-compatible adapter with Poe's dialect; what is Poe's own is added here — the thinking
 * progress of reasoning bots split from their answer (as on the bot protocol), the model list
 * with its modalities and millisecond timestamps, and image generation by image bots (called
 * with `stream: false`, as Poe asks for media bots; custom parameters such as `aspect` travel as
 * top-level fields).
 */
export class PoeOpenAIAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'poe';
  private readonly chat: OpenAICompatibleAdapter;
  private readonly httpClient: UpstreamHttpClient;
  private readonly modelsUrl: string;
  private readonly headers: Record<string, string>;

  constructor(input: ProviderFactoryInput, modelsUrl: string) {
    this.id = input.config.id;
    this.chat = new OpenAICompatibleAdapter(input, createPoeOpenAIDialect());
    this.httpClient = input.httpClient;
    this.modelsUrl = modelsUrl;
    this.headers = input.config.headers ?? {};
  }

  async streamChat(request: ChatRequest, context: CallContext): Promise<AsyncIterable<ChatStreamEvent>> {
    return splitPoeThinkingEvents(await this.chat.streamChat(request, context));
  }

  async completeChat(request: ChatRequest, context: CallContext): Promise<ChatResponse> {
    return splitPoeThinkingResponse(await this.chat.completeChat(request, context));
  }

  listModels(context: CallContext): Promise<ProviderModel[]> {
    return fetchPoeModelList(this.httpClient, this.modelsUrl, this.headers, { ...context, providerId: this.id });
  }

  generateImages(request: ImageGenerationRequest, context: CallContext): Promise<ImageGenerationResponse> {
    return generatePoeImages(request, context, {
      httpClient: this.httpClient,
      chatRequest: (model, prompt, { parameters }) => ({
        model,
        stream: false,
        messages: [{ role: 'user', parts: [{ type: 'text', text: prompt }] }],
        unmappedFields: parameters,
      }),
      complete: (chatRequest, callContext) => this.chat.completeChat(chatRequest, callContext),
    });
  }

  close(): Promise<void> {
    return this.chat.close();
  }
}
