import { z } from 'zod';
import type { ModelCapability, ProviderModel } from '../../canonical/model-info.ts';
import { findKnownModelFamily } from '../../routing/known-model-families.ts';
import type { CallContext } from '../provider-adapter.ts';
import { checkUpstreamStatus } from '../shared/check-upstream-status.ts';
import { readUpstreamText } from '../shared/read-upstream-body.ts';
import type { UpstreamHttpClient } from '../shared/upstream-http-client.ts';
import { parsePoeErrorBody } from './parse-poe-error-body.ts';

/**
 * Poe's `GET /v1/models` (https://creator.poe.com/api-reference/listModels; no key needed), read
 * leniently. `created` is in MILLISECONDS there; `architecture.input_modalities` says which
 * models take images. A context window is read where the list carries one.
 */
const poeModelListSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string().min(1),
      created: z.number().nullish(),
      owned_by: z.string().nullish(),
      description: z.string().nullish(),
      architecture: z
        .looseObject({
          input_modalities: z.array(z.string()).nullish(),
          output_modalities: z.array(z.string()).nullish(),
        })
        .nullish(),
      context_length: z.number().nullish(),
      context_window: z.union([z.number(), z.looseObject({ context_length: z.number().nullish() })]).nullish(),
    }),
  ),
});

type PoeModelEntry = z.infer<typeof poeModelListSchema>['data'][number];

export function parsePoeModelList(json: unknown): ProviderModel[] {
  const parsed = poeModelListSchema.safeParse(json);
  if (!parsed.success) throw new Error(`Poe's model list has an unexpected shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data.data.map(toProviderModel);
}

function toProviderModel(entry: PoeModelEntry): ProviderModel {
  const model: ProviderModel = { id: entry.id };
  if (typeof entry.created === 'number' && entry.created > 0) {
    // Milliseconds per Poe's docs; a value that already looks like seconds is kept as is.
    model.created = entry.created > 100_000_000_000 ? Math.floor(entry.created / 1000) : Math.floor(entry.created);
  }
  if (entry.owned_by) model.ownedBy = entry.owned_by;
  if (entry.description) model.description = entry.description;
  const contextLength = typeof entry.context_window === 'number' ? entry.context_window : (entry.context_window?.context_length ?? entry.context_length);
  if (typeof contextLength === 'number' && contextLength > 0) model.contextLength = contextLength;
  model.capabilities = poeCapabilities(entry);
  return model;
}

/** Bot names that say the bot reasons (`Claude-Sonnet-4-Reasoning`, `DeepSeek-R1`, `QwQ-32B`). */
const REASONING_NAME = /reason|think|(^|[-_.])r1($|[-_.])|qwq/i;

/**
 * A declared capability list is taken as complete by clients (Ollama refuses tools or thinking a
 * model does not list), so it must not leave out what Poe serves: chat bots take `tools` (Poe's
 * API accepts them for every bot; one that cannot call tools just answers), vision and image
 * output come from the modalities, thinking from the name or the known model families.
 */
function poeCapabilities(entry: PoeModelEntry): ModelCapability[] {
  const inputs = entry.architecture?.input_modalities ?? [];
  const outputs = entry.architecture?.output_modalities ?? [];
  const capabilities: ModelCapability[] = [];
  const chat = outputs.length === 0 || outputs.includes('text');
  if (chat) capabilities.push('completion', 'tools');
  if (inputs.includes('image')) capabilities.push('vision');
  if (chat && (REASONING_NAME.test(entry.id) || findKnownModelFamily(entry.id)?.capabilities.includes('thinking') === true)) capabilities.push('thinking');
  if (outputs.includes('image')) capabilities.push('image');
  return capabilities;
}

/**
 * The bots whose answers are images, video or audio (`architecture.output_modalities`): Poe asks
 * for those to be called with `stream: false` on its OpenAI-compatible API
 * (https://creator.poe.com/docs/external-applications/openai-compatible-api).
 */
export function poeMediaBotIds(json: unknown): Set<string> {
  const parsed = poeModelListSchema.safeParse(json);
  if (!parsed.success) return new Set();
  const media = parsed.data.data.filter((entry) => (entry.architecture?.output_modalities ?? []).some((modality) => modality === 'image' || modality === 'video' || modality === 'audio'));
  return new Set(media.map((entry) => entry.id));
}

/** Fetches and parses the list; failures are thrown (the catalog keeps its last good list). */
export async function fetchPoeModelList(
  httpClient: UpstreamHttpClient,
  url: string,
  headers: Record<string, string>,
  context: CallContext & { providerId: string },
): Promise<ProviderModel[]> {
  return parsePoeModelList(await fetchPoeModelJson(httpClient, url, headers, context));
}

/** `GET /v1/models` as JSON; a non-200 or a body that is not JSON is thrown. */
export async function fetchPoeModelJson(
  httpClient: UpstreamHttpClient,
  url: string,
  headers: Record<string, string>,
  context: CallContext & { providerId: string },
): Promise<unknown> {
  const response = await httpClient.request({ url, method: 'GET', headers: { accept: 'application/json', ...headers }, signal: context.signal });
  await checkUpstreamStatus(response, { url, providerId: context.providerId, parseError: (input) => parsePoeErrorBody(input, { call: 'model list request' }) });
  const text = await readUpstreamText(response, url);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`Poe's model list at ${url} is not JSON`);
  }
}
