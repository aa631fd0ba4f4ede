import type { OllamaModelFacts } from './describe-ollama-model.ts';
import { formatOllamaTime } from './ollama-time.ts';

/**
 * Ollama's `details` of a model. llmux holds no weights, so there is no file format or
 * quantization to report: those are empty, as Ollama reports them for its own remote models.
 */
export function buildOllamaDetails(facts: OllamaModelFacts): Record<string, unknown> {
  const details: Record<string, unknown> = {
    parent_model: '',
    format: '',
    family: facts.architecture,
    families: [facts.architecture],
    parameter_size: facts.parameterSize,
    quantization_level: '',
    context_length: facts.contextLength,
  };
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

/** One model of `GET /api/ps`. */
export function buildOllamaPsEntry(facts: OllamaModelFacts, expiresAt: number): Record<string, unknown> {
  return {
    name: facts.entry.ollamaName,
    model: facts.entry.ollamaName,
    size: 0,
    digest: facts.digest,
    details: buildOllamaDetails(facts),
    expires_at: formatOllamaTime(expiresAt),
    size_vram: 0,
    context_length: facts.contextLength,
  };
}
