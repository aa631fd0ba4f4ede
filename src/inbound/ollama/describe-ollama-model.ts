import { createHash } from 'node:crypto';
import type { ModelCapability } from '../../canonical/model-info.ts';
import { describeModel } from '../../routing/describe-model.ts';
import type { OllamaModelEntry } from './ollama-model-directory.ts';

/** Ollama's order of capability names in /api/show. */
const CAPABILITY_ORDER: ModelCapability[] = ['completion', 'tools', 'insert', 'vision', 'embedding', 'thinking', 'image'];

export interface OllamaModelFacts {
  entry: OllamaModelEntry;
  /** `general.architecture`, also the prefix of `<arch>.context_length`. */
  architecture: string;
  /**
   * From the config, the provider or the known families; undefined when none says, and then
   * left out where Ollama leaves out what it does not know (`details.context_length`,
   * `<arch>.context_length`), as `llmux models` shows '-'. Never a guess.
   */
  contextLength?: number;
  capabilities: ModelCapability[];
  /** Whether the capabilities come from the config or the provider (not a guess from the family). */
  capabilitiesDeclared: boolean;
  parameterSize: string;
  embeddingLength?: number;
  /** sha256 of the served name: stable, 64 hex characters, as `ollama list` slices it. */
  digest: string;
  /** Epoch ms: the provider's `created`, else when llmux started. */
  modifiedAt: number;
}

/**
 * What llmux can honestly say about a model for Ollama's tags/show/ps: from the config, else the
 * provider's own metadata, else the known-families table. Asked on every chat and generate
 * request, so what the entry's facts give is kept by those facts (it never changes for them).
 */
export function describeOllamaModel(entry: OllamaModelEntry, startedAt: number): OllamaModelFacts {
  const described = cachedDescription(entry);
  return { entry, ...described, capabilities: [...described.capabilities], modifiedAt: entry.created === undefined ? startedAt : entry.created * 1000 };
}

/** What chat and generate check before a call: a model's capabilities and whether they were declared. */
export interface OllamaModelCapabilities {
  readonly capabilities: readonly ModelCapability[];
  readonly capabilitiesDeclared: boolean;
}

/** The capabilities describeOllamaModel gives, from its cache as they are (nothing copied per request): read only. */
export function ollamaModelCapabilities(entry: OllamaModelEntry): OllamaModelCapabilities {
  return cachedDescription(entry);
}

type Description = Omit<OllamaModelFacts, 'entry' | 'modifiedAt'>;

const DESCRIPTION_CACHE_LIMIT = 4096;
const descriptions = new Map<string, Readonly<Description>>();
/** The last description per served name, with what it was made from: found without building the key. */
const lastDescribed = new Map<string, { entry: OllamaModelEntry; described: Readonly<Description> }>();

function cachedDescription(entry: OllamaModelEntry): Readonly<Description> {
  const last = lastDescribed.get(entry.servedName);
  if (last !== undefined && describesSame(last.entry, entry)) return last.described;
  // JSON keeps the parts apart whatever the names hold (a client may name any `provider/model`).
  const key = JSON.stringify([entry.servedName, entry.upstreamModel, entry.contextLength ?? null, entry.capabilities ?? null]);
  let described = descriptions.get(key);
  if (described === undefined) {
    described = describe(entry);
    if (descriptions.size < DESCRIPTION_CACHE_LIMIT) descriptions.set(key, described);
  }
  if (last !== undefined || lastDescribed.size < DESCRIPTION_CACHE_LIMIT) lastDescribed.set(entry.servedName, { entry, described });
  return described;
}

/** Whether two entries of one served name give the same description (the parts of the cache key but the name). */
function describesSame(a: OllamaModelEntry, b: OllamaModelEntry): boolean {
  if (a.upstreamModel !== b.upstreamModel || a.contextLength !== b.contextLength) return false;
  const x = a.capabilities;
  const y = b.capabilities;
  if (x === y) return true;
  if (x === undefined || y === undefined || x.length !== y.length) return false;
  for (let index = 0; index < x.length; index++) if (x[index] !== y[index]) return false;
  return true;
}

function describe(entry: OllamaModelEntry): Description {
  const described = describeModel({ upstreamModel: entry.upstreamModel, name: entry.servedName, contextLength: entry.contextLength, capabilities: entry.capabilities });
  const family = described.family;
  const facts: Description = {
    architecture: family?.architecture ?? architectureFromName(entry.upstreamModel),
    capabilities: CAPABILITY_ORDER.filter((capability) => described.capabilities.includes(capability)),
    capabilitiesDeclared: described.capabilitiesDeclared,
    parameterSize: family?.parameterSize ?? '',
    digest: ollamaDigest(entry.servedName),
  };
  if (described.contextLength !== undefined) facts.contextLength = described.contextLength;
  if (family?.embeddingLength !== undefined) facts.embeddingLength = family.embeddingLength;
  return facts;
}

const DIGEST_CACHE_LIMIT = 4096;
const digests = new Map<string, string>();

/** sha256 of a served name, kept: it is asked for on every Ollama request and never changes. */
function ollamaDigest(servedName: string): string {
  let digest = digests.get(servedName);
  if (digest === undefined) {
    digest = createHash('sha256').update(servedName).digest('hex');
    if (digests.size < DIGEST_CACHE_LIMIT) digests.set(servedName, digest);
  }
  return digest;
}

/**
 * Ollama's full model name as its capability errors print it
 * (`registry.ollama.ai/library/m:latest does not support tools`).
 */
export function ollamaFullName(name: string): string {
  const display = name.slice(name.lastIndexOf('/') + 1).includes(':') ? name : `${name}:latest`;
  const slashes = display.split('/').length - 1;
  if (slashes === 0) return `registry.ollama.ai/library/${display}`;
  if (slashes === 1) return `registry.ollama.ai/${display}`;
  return display;
}

/** For an unknown model: its name's leading word (`mymodel-7b` → `mymodel`). */
function architectureFromName(name: string): string {
  const word = /[a-z]+/.exec(name.slice(name.lastIndexOf('/') + 1).toLowerCase());
  return word?.[0] ?? 'unknown';
}
