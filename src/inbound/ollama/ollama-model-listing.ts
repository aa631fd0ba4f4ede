import type { OllamaModelFacts } from './describe-ollama-model.ts';
import { formatOllamaTime } from './ollama-time.ts';

/**
 * Ollama's default context window (`num_ctx`): what `/api/ps` reports as the context a model with
 * no known length runs with, as Ollama would load it.
 * https://github.com/ollama/ollama/blob/main/envconfig/config.go (ContextLength)
 */
const OLLAMA_DEFAULT_CONTEXT_LENGTH = 4096;

/**
 * Ollama's `details` of a model. llmux holds no weights, so there is no file format or
 * quantization to report: those are empty, as Ollama reports them for its own remote models.
 * `context_length` and `embedding_length` are omitted when unknown, as Ollama omits them
 * (api/types.go `ModelDetails`, `omitempty`; server/model_list_cache.go fills them from the
 * model's config, zero when it has none).
 */
export function buildOllamaDetails(facts: OllamaModelFacts): Record<string, unknown> {
  const details: Record<string, unknown> = {
    parent_model: '',
    format: '',
    family: facts.architecture,
    families: [facts.architecture],
    parameter_size: facts.parameterSize,
    quantization_level: '',
  };
  if (facts.contextLength !== undefined) details.context_length = facts.contextLength;
  if (facts.embeddingLength !== undefined) details.embedding_length = facts.embeddingLength;
  return details;
}

/** One model of `GET /api/tags`; `size` is 0 because nothing is stored locally. */
export function buildOllamaTagsEntry(facts: OllamaModelFacts): Record<string, unknown> {
  return {
    name: facts.entry.ollamaName,
    model: facts.entry.ollamaName,
    modified_at: formatOllamaTime(facts.modifiedAt),
    size: 0,
    digest: facts.digest,
    details: buildOllamaDetails(facts),
    capabilities: facts.capabilities,
  };
}

/** One model of `GET /api/ps`; `context_length` is always there (not `omitempty` in Ollama). */
export function buildOllamaPsEntry(facts: OllamaModelFacts, expiresAt: number): Record<string, unknown> {
  return {
    name: facts.entry.ollamaName,
    model: facts.entry.ollamaName,
    size: 0,
    digest: facts.digest,
    details: buildOllamaDetails(facts),
    expires_at: formatOllamaTime(expiresAt),
    size_vram: 0,
    context_length: facts.contextLength ?? OLLAMA_DEFAULT_CONTEXT_LENGTH,
  };
}
