import type { ModelCapability } from '../canonical/model-info.ts';

/**
 * What is publicly known about a model family, for answering honestly when neither the config nor
 * the provider's model list says: context window, capabilities, and the GGUF architecture name
 * Ollama clients expect (`general.architecture`, e.g. VS Code Copilot reads `<arch>.context_length`).
 * Figures are the models' published ones (model cards, provider docs, Ollama's library pages).
 */
export interface KnownModelFamily {
  /** Ollama's architecture name (`general.architecture`), e.g. `llama`, `qwen3moe`, `gptoss`. */
  architecture: string;
  contextLength?: number;
  capabilities: ModelCapability[];
  /** Ollama's `parameter_size`, e.g. `8.0B`, where the model's size is known. */
  parameterSize?: string;
  /** Width of the vectors an embedding model returns. */
  embeddingLength?: number;
}

interface FamilyRule extends KnownModelFamily {
  pattern: RegExp;
  /** Parameter sizes by the size tag in the name (`8b`, `70b`), Ollama's figures. */
  sizes?: Record<string, string>;
}

const CHAT: ModelCapability[] = ['completion'];
const TOOLS: ModelCapability[] = ['completion', 'tools'];
const TOOLS_VISION: ModelCapability[] = ['completion', 'tools', 'vision'];
const TOOLS_THINKING: ModelCapability[] = ['completion', 'tools', 'thinking'];
const ALL_CHAT: ModelCapability[] = ['completion', 'tools', 'vision', 'thinking'];
const EMBEDDING: ModelCapability[] = ['embedding'];

/** Most specific first: the first rule whose pattern matches the normalized id wins. */
const RULES: FamilyRule[] = [
  // Embedding models (before their chat siblings, e.g. qwen3-embedding before qwen3).
  { pattern: /^text-embedding-3-large/, architecture: 'openai', contextLength: 8191, capabilities: EMBEDDING, embeddingLength: 3072 },
  { pattern: /^text-embedding-3-small/, architecture: 'openai', contextLength: 8191, capabilities: EMBEDDING, embeddingLength: 1536 },
  { pattern: /^text-embedding-ada-002/, architecture: 'openai', contextLength: 8191, capabilities: EMBEDDING, embeddingLength: 1536 },
  { pattern: /^nomic-embed-text/, architecture: 'nomic-bert', contextLength: 2048, capabilities: EMBEDDING, parameterSize: '137M', embeddingLength: 768 },
  { pattern: /^mxbai-embed-large/, architecture: 'bert', contextLength: 512, capabilities: EMBEDDING, parameterSize: '334M', embeddingLength: 1024 },
  { pattern: /^all-minilm/, architecture: 'bert', contextLength: 512, capabilities: EMBEDDING, parameterSize: '23M', embeddingLength: 384 },
  { pattern: /^bge-m3/, architecture: 'bert', contextLength: 8192, capabilities: EMBEDDING, parameterSize: '567M', embeddingLength: 1024 },
  { pattern: /^qwen-?3-embedding/, architecture: 'qwen3', contextLength: 40960, capabilities: EMBEDDING },
  { pattern: /embed/, architecture: 'bert', capabilities: EMBEDDING },

  // OpenAI
  { pattern: /^gpt-oss-120b/, architecture: 'gptoss', contextLength: 131072, capabilities: TOOLS_THINKING, parameterSize: '116.8B' },
  { pattern: /^gpt-oss/, architecture: 'gptoss', contextLength: 131072, capabilities: TOOLS_THINKING, parameterSize: '20.9B' },
  { pattern: /^gpt-5/, architecture: 'gpt', contextLength: 400000, capabilities: ALL_CHAT },
  { pattern: /^gpt-4\.1/, architecture: 'gpt', contextLength: 1047576, capabilities: TOOLS_VISION },
  { pattern: /^(chatgpt-)?gpt-4o/, architecture: 'gpt', contextLength: 128000, capabilities: TOOLS_VISION },
  { pattern: /^gpt-4-turbo/, architecture: 'gpt', contextLength: 128000, capabilities: TOOLS_VISION },
  { pattern: /^gpt-4/, architecture: 'gpt', contextLength: 8192, capabilities: TOOLS },
  { pattern: /^gpt-3\.5-turbo/, architecture: 'gpt', contextLength: 16385, capabilities: TOOLS },
  { pattern: /^o[134](-|$)/, architecture: 'gpt', contextLength: 200000, capabilities: ALL_CHAT },

  // Anthropic: extended thinking from Claude 3.7 Sonnet on.
  { pattern: /^claude-(opus|sonnet|haiku)-4|^claude-(3-7|3\.7)-sonnet|^claude-sonnet-3\.7/, architecture: 'claude', contextLength: 200000, capabilities: ALL_CHAT },
  { pattern: /^claude/, architecture: 'claude', contextLength: 200000, capabilities: TOOLS_VISION },

  // Google
  { pattern: /^gemini-(2\.5|3)/, architecture: 'gemini', contextLength: 1048576, capabilities: ALL_CHAT },
  { pattern: /^gemini/, architecture: 'gemini', contextLength: 1048576, capabilities: TOOLS_VISION },
  { pattern: /^gemma-?3n/, architecture: 'gemma3n', contextLength: 32768, capabilities: CHAT },
  { pattern: /^gemma-?3/, architecture: 'gemma3', contextLength: 131072, capabilities: ['completion', 'vision'], sizes: { '1b': '999.89M', '4b': '4.3B', '12b': '12.2B', '27b': '27.4B' } },
  { pattern: /^gemma-?2/, architecture: 'gemma2', contextLength: 8192, capabilities: CHAT, sizes: { '2b': '2.6B', '9b': '9.2B', '27b': '27.2B' } },

  // Meta
  { pattern: /^llama-?4-scout/, architecture: 'llama4', contextLength: 10485760, capabilities: TOOLS_VISION, parameterSize: '108.6B' },
  { pattern: /^llama-?4/, architecture: 'llama4', contextLength: 1048576, capabilities: TOOLS_VISION },
  { pattern: /^llama-?3\.3/, architecture: 'llama', contextLength: 131072, capabilities: TOOLS, parameterSize: '70.6B' },
  { pattern: /^llama-?3\.2-vision/, architecture: 'mllama', contextLength: 131072, capabilities: ['completion', 'vision'], sizes: { '11b': '10.7B', '90b': '87.7B' } },
  { pattern: /^llama-?3\.2/, architecture: 'llama', contextLength: 131072, capabilities: TOOLS, parameterSize: '3.2B', sizes: { '1b': '1.2B', '3b': '3.2B' } },
  { pattern: /^llama-?3\.1/, architecture: 'llama', contextLength: 131072, capabilities: TOOLS, parameterSize: '8.0B', sizes: { '8b': '8.0B', '70b': '70.6B', '405b': '405.9B' } },
  { pattern: /^llama-?3/, architecture: 'llama', contextLength: 8192, capabilities: CHAT, parameterSize: '8.0B', sizes: { '8b': '8.0B', '70b': '70.6B' } },
  { pattern: /^llama-?2/, architecture: 'llama', contextLength: 4096, capabilities: CHAT, parameterSize: '6.7B' },
  { pattern: /^llava/, architecture: 'llama', contextLength: 32768, capabilities: ['completion', 'vision'], parameterSize: '7.2B' },

  // Qwen
  { pattern: /^qwen-?3-coder/, architecture: 'qwen3moe', contextLength: 262144, capabilities: TOOLS, sizes: { '30b': '30.5B', '480b': '480.2B' } },
  { pattern: /^qwen-?3-vl/, architecture: 'qwen3vl', contextLength: 262144, capabilities: ALL_CHAT },
  { pattern: /^qwen-?3-235b-a22b-thinking/, architecture: 'qwen3moe', contextLength: 262144, capabilities: TOOLS_THINKING, parameterSize: '235.1B' },
  { pattern: /^qwen-?3-235b-a22b-instruct/, architecture: 'qwen3moe', contextLength: 262144, capabilities: TOOLS, parameterSize: '235.1B' },
  { pattern: /^qwen-?3-(30b-a3b|235b)/, architecture: 'qwen3moe', contextLength: 40960, capabilities: TOOLS_THINKING, sizes: { '30b': '30.5B', '235b': '235.1B' } },
  {
    pattern: /^qwen-?3/,
    architecture: 'qwen3',
    contextLength: 40960,
    capabilities: TOOLS_THINKING,
    parameterSize: '8.2B',
    sizes: { '0.6b': '751.63M', '1.7b': '2.0B', '4b': '4.0B', '8b': '8.2B', '14b': '14.8B', '32b': '32.8B' },
  },
  { pattern: /^qwq/, architecture: 'qwen2', contextLength: 40960, capabilities: TOOLS_THINKING, parameterSize: '32.8B' },
  { pattern: /^qwen-?2\.5-vl/, architecture: 'qwen25vl', contextLength: 128000, capabilities: ['completion', 'vision'] },
  { pattern: /^qwen-?2\.5-coder/, architecture: 'qwen2', contextLength: 32768, capabilities: ['completion', 'tools', 'insert'], parameterSize: '7.6B' },
  { pattern: /^qwen-?2/, architecture: 'qwen2', contextLength: 32768, capabilities: TOOLS, parameterSize: '7.6B', sizes: { '0.5b': '494.03M', '1.5b': '1.5B', '3b': '3.1B', '7b': '7.6B', '14b': '14.8B', '32b': '32.8B', '72b': '72.7B' } },

  // DeepSeek, Moonshot, Zhipu
  { pattern: /^deepseek-r1-distill-llama/, architecture: 'llama', contextLength: 131072, capabilities: ['completion', 'thinking'] },
  { pattern: /^deepseek-r1-distill-qwen/, architecture: 'qwen2', contextLength: 131072, capabilities: ['completion', 'thinking'] },
  { pattern: /^deepseek-r1/, architecture: 'deepseek2', contextLength: 163840, capabilities: TOOLS_THINKING, parameterSize: '671B' },
  { pattern: /^deepseek-reasoner/, architecture: 'deepseek2', contextLength: 131072, capabilities: TOOLS_THINKING },
  { pattern: /^deepseek-coder-v2/, architecture: 'deepseek2', contextLength: 163840, capabilities: ['completion', 'insert'] },
  { pattern: /^deepseek-(v3|chat)/, architecture: 'deepseek2', contextLength: 163840, capabilities: TOOLS, parameterSize: '671B' },
  { pattern: /^kimi-k2/, architecture: 'deepseek2', contextLength: 262144, capabilities: TOOLS },
  { pattern: /^(zai-)?glm-?4\.5/, architecture: 'glm4moe', contextLength: 131072, capabilities: TOOLS_THINKING },
  { pattern: /^(zai-)?glm-?4\.[6-9]/, architecture: 'glm4moe', contextLength: 202752, capabilities: TOOLS_THINKING },

  // Mistral, Microsoft, xAI
  { pattern: /^codestral/, architecture: 'llama', contextLength: 32768, capabilities: ['completion', 'insert'], parameterSize: '22.2B' },
  { pattern: /^mixtral/, architecture: 'llama', contextLength: 32768, capabilities: TOOLS, parameterSize: '46.7B' },
  { pattern: /^mistral-nemo/, architecture: 'llama', contextLength: 1024000, capabilities: TOOLS, parameterSize: '12.2B' },
  { pattern: /^mistral-small-?3/, architecture: 'mistral3', contextLength: 131072, capabilities: TOOLS_VISION, parameterSize: '24.0B' },
  { pattern: /^mistral-large/, architecture: 'llama', contextLength: 131072, capabilities: TOOLS, parameterSize: '122.6B' },
  { pattern: /^mistral/, architecture: 'llama', contextLength: 32768, capabilities: TOOLS, parameterSize: '7.2B' },
  { pattern: /^phi-?4-mini/, architecture: 'phi3', contextLength: 131072, capabilities: TOOLS, parameterSize: '3.8B' },
  { pattern: /^phi-?4/, architecture: 'phi3', contextLength: 16384, capabilities: CHAT, parameterSize: '14.7B' },
  { pattern: /^phi-?3/, architecture: 'phi3', contextLength: 131072, capabilities: CHAT, parameterSize: '3.8B' },
  { pattern: /^grok-4/, architecture: 'grok', contextLength: 256000, capabilities: ALL_CHAT },
  { pattern: /^grok/, architecture: 'grok', contextLength: 131072, capabilities: TOOLS },
];

/**
 * The known family of a model id (`gpt-oss-120b`, `llama3.1-8b`, `cerebras/qwen-3-32b`,
 * `llama3.2:1b`, Poe's `Claude-Sonnet-4`), or undefined when it is not a family we know.
 */
export function findKnownModelFamily(modelId: string): KnownModelFamily | undefined {
  // Asked on every Ollama request; the answer for an id never changes, so it is kept (the ids
  // are the few a deployment serves; the bound only guards against unbounded client input).
  const known = FAMILY_BY_ID.get(modelId);
  const family = known === undefined ? matchKnownModelFamily(modelId) : known;
  if (known === undefined && FAMILY_BY_ID.size < FAMILY_CACHE_LIMIT) FAMILY_BY_ID.set(modelId, family ?? null);
  return family == null ? undefined : { ...family, capabilities: [...family.capabilities] };
}

const FAMILY_CACHE_LIMIT = 4096;
const FAMILY_BY_ID = new Map<string, Readonly<KnownModelFamily> | null>();

function matchKnownModelFamily(modelId: string): KnownModelFamily | undefined {
  const normalized = normalizeModelId(modelId);
  const rule = RULES.find((candidate) => candidate.pattern.test(normalized));
  if (rule === undefined) return undefined;
  const family: KnownModelFamily = { architecture: rule.architecture, capabilities: [...rule.capabilities] };
  if (rule.contextLength !== undefined) family.contextLength = rule.contextLength;
  if (rule.embeddingLength !== undefined) family.embeddingLength = rule.embeddingLength;
  const parameterSize = sizeFromTag(normalized, rule.sizes) ?? rule.parameterSize;
  if (parameterSize !== undefined) family.parameterSize = parameterSize;
  return family;
}

/** Lower case, without a provider prefix, with `:`/`_`/spaces as `-` (`llama3.2:3b` → `llama3.2-3b`). */
function normalizeModelId(modelId: string): string {
  const lastSlash = modelId.lastIndexOf('/');
  return modelId
    .slice(lastSlash + 1)
    .toLowerCase()
    .replace(/[:_\s]+/g, '-');
}

function sizeFromTag(normalized: string, sizes: Record<string, string> | undefined): string | undefined {
  if (sizes === undefined) return undefined;
  for (const match of normalized.matchAll(/(?:^|[-.])(\d+(?:\.\d+)?b)(?=$|[-.])/g)) {
    const size = sizes[match[1] ?? ''];
    if (size !== undefined) return size;
  }
  return undefined;
}
