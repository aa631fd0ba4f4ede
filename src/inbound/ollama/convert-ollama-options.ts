import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';

export type OllamaSampling = Pick<
  ChatRequest,
  'temperature' | 'topP' | 'topK' | 'minP' | 'maxTokens' | 'stop' | 'seed' | 'repeatPenalty' | 'presencePenalty' | 'frequencyPenalty' | 'contextLength'
>;

/**
 * Ollama `options` → canonical sampling fields. As Ollama's `Options.FromMap` does, unknown keys
 * (`mirostat`, `tfs_z`, `num_gpu`, …) and null values are ignored and a wrong type is refused with
 * its wording; unlike it, `stop` may be a single string, which Continue sends.
 * `num_predict` -1 (unlimited) and -2 (fill the context) and `seed` -1 (random) mean "not set".
 * https://github.com/ollama/ollama/blob/main/api/types.go (FromMap)
 */
export function convertOllamaOptions(options: Record<string, unknown> | null | undefined): OllamaSampling {
  const sampling: OllamaSampling = {};
  if (options === null || options === undefined) return sampling;
  const temperature = float(options, 'temperature');
  if (temperature !== undefined) sampling.temperature = temperature;
  const topP = float(options, 'top_p');
  if (topP !== undefined) sampling.topP = topP;
  const minP = float(options, 'min_p');
  if (minP !== undefined) sampling.minP = minP;
  const repeatPenalty = float(options, 'repeat_penalty');
  if (repeatPenalty !== undefined) sampling.repeatPenalty = repeatPenalty;
  const presencePenalty = float(options, 'presence_penalty');
  if (presencePenalty !== undefined) sampling.presencePenalty = presencePenalty;
  const frequencyPenalty = float(options, 'frequency_penalty');
  if (frequencyPenalty !== undefined) sampling.frequencyPenalty = frequencyPenalty;
  const topK = integer(options, 'top_k');
  if (topK !== undefined && topK > 0) sampling.topK = topK;
  const numPredict = integer(options, 'num_predict');
  if (numPredict !== undefined && numPredict > 0) sampling.maxTokens = numPredict;
  const seed = integer(options, 'seed');
  if (seed !== undefined && seed >= 0) sampling.seed = seed;
  const numCtx = integer(options, 'num_ctx');
  if (numCtx !== undefined && numCtx > 0) sampling.contextLength = numCtx;
  const stop = stopSequences(options.stop);
  if (stop !== undefined && stop.length > 0) sampling.stop = stop;
  return sampling;
}

function float(options: Record<string, unknown>, key: string): number | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw optionError(`option "${key}" must be of type float32`, key);
  return value;
}

function integer(options: Record<string, unknown>, key: string): number | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw optionError(`option "${key}" must be of type integer`, key);
  return Math.trunc(value);
}

function stopSequences(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw optionError('option "stop" must be of type array', 'stop');
  const stop: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') throw optionError('option "stop" must be of an array of strings', 'stop');
    stop.push(item);
  }
  return stop;
}

function optionError(message: string, key: string): GatewayError {
  return new GatewayError('invalid_request', message, { param: `options.${key}` });
}
