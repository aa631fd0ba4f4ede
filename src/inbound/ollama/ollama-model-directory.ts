import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ModelCapability } from '../../canonical/model-info.ts';
import type { MaybePromise, ModelRouter, ResolvedModel } from '../../routing/model-router.ts';

/** A model as the Ollama routes see it. */
export interface OllamaModelEntry {
  /** The name llmux routes it by (an alias, `provider/model`, or a discovered id). */
  servedName: string;
  /** The name Ollama clients see: the served name with a tag (`:latest` when it had none). */
  ollamaName: string;
  /** The first target's upstream id, used to look up the model's family. */
  upstreamModel: string;
  /** From the config, else the provider's model list. */
  contextLength?: number;
  capabilities?: ModelCapability[];
  /** Unix seconds, from the provider's list. */
  created?: number;
  /** The unknown name a request asked for, when this is `default_model` answering in its place. */
  standsInFor?: string;
  /** Where the router sends `servedName`, when the entry came from resolving it: the dispatcher need not resolve it again. */
  routed?: ResolvedModel;
}

/**
 * Ollama's view of llmux's models: names with tags, found with or without `:latest` and in any
 * case, as Ollama's getExistingName does, so a name from /api/tags works unchanged everywhere.
 * https://github.com/ollama/ollama/blob/main/server/routes.go (getExistingName)
 */
export class OllamaModelDirectory {
  private readonly router: ModelRouter;

  constructor(router: ModelRouter) {
    this.router = router;
  }

  async list(): Promise<OllamaModelEntry[]> {
    return (await this.router.list()).map((listed) =>
      entryOf(listed.name, listed.target.upstreamModel, listed.contextLength, listed.capabilities, listed.created),
    );
  }

  /**
   * The model a client's name means, without falling back to the default model, as its listed
   * entry (so `ps` shows one name per model however it was asked for). An alias or a listed id is
   * taken at once; otherwise the listed models are searched ignoring case and a missing
   * `:latest`, by their listed name or, for a provider's own model, as `provider/model`. A
   * `provider/model` name the provider does not list is still served as asked: not every
   * upstream lists all it serves.
   */
  async find(name: string): Promise<OllamaModelEntry | undefined> {
    if (name.trim().length === 0) return undefined;
    const base = withoutLatest(name);
    let providerModel: ResolvedModel | undefined;
    for (const candidate of base === name ? [name] : [base, name]) {
      const resolved = await this.router.tryResolve(candidate);
      if (resolved === undefined) continue;
      if (!isProviderModelName(resolved)) return fromResolved(resolved);
      providerModel ??= resolved;
    }
    const wanted = ollamaDisplayName(name.toLowerCase());
    for (const listed of await this.router.list()) {
      const qualified = `${listed.target.provider.id}/${listed.target.upstreamModel}`;
      const discovered = listed.name === listed.target.upstreamModel || listed.name === qualified;
      if (ollamaDisplayName(listed.name).toLowerCase() === wanted || (discovered && ollamaDisplayName(qualified).toLowerCase() === wanted)) {
        return entryOf(listed.name, listed.target.upstreamModel, listed.contextLength, listed.capabilities, listed.created);
      }
    }
    return providerModel === undefined ? undefined : fromResolved(providerModel);
  }

  /**
   * The model `show` and `pull` describe: as find, never `default_model` nor a wildcard alias —
   * the default answers requests, not look-ups of unknown names, so every route and `llmux
   * models` agree on whether a name exists (and the Ollama CLI reports a misspelt name). A model
   * the client's key may not use is not found, so that its existence is not revealed.
   */
  async findAllowed(name: string, allowedModels: ReadonlySet<string> | undefined): Promise<OllamaModelEntry | undefined> {
    const found = await this.find(name);
    return found !== undefined && this.allows(found, allowedModels) ? found : undefined;
  }

  /**
   * As resolve, without a promise for the usual case: a name the router knows at once (an alias or
   * a listed id, as sent).
   */
  resolveNow(name: string): MaybePromise<OllamaModelEntry | undefined> {
    if (!hasLatestTag(name) && name.trim().length > 0) {
      const resolved = this.router.tryResolveNow(name);
      if (resolved !== undefined && !(resolved instanceof Promise) && !isProviderModelName(resolved)) return fromResolved(resolved);
    }
    return this.resolve(name);
  }

  /**
   * The model a chat, generate or embedding request goes to: as find, else wherever the router
   * sends the name (a wildcard alias, then `default_model`), as the OpenAI routes do. A model the
   * client's key may not use is still found here: those routes refuse it with 403, as the dispatcher does.
   */
  async resolve(name: string): Promise<OllamaModelEntry | undefined> {
    const found = await this.find(name);
    if (found !== undefined || name.trim().length === 0) return found;
    let resolved: ResolvedModel;
    try {
      // Ollama clients may add the implicit `:latest` to a name no list shows.
      resolved = await this.router.resolve(withoutLatest(name));
    } catch (error) {
      if (error instanceof GatewayError && error.kind === 'not_found') return undefined;
      throw error;
    }
    if (resolved.standsInFor !== undefined) {
      const standIn = (await this.find(resolved.name)) ?? fromResolved(resolved);
      return { ...standIn, standsInFor: name };
    }
    return fromResolved(resolved);
  }

  /** Whether a client key with this allow-list may use the model, judged as the dispatcher does. */
  allows(entry: OllamaModelEntry, allowedModels: ReadonlySet<string> | undefined): boolean {
    return allowedModels === undefined || allowedModels.has(entry.servedName);
  }
}

/** `name:tag` as Ollama shows it; a name whose last path part has no tag gets `:latest`. */
export function ollamaDisplayName(servedName: string): string {
  const lastPart = servedName.slice(servedName.lastIndexOf('/') + 1);
  return lastPart.includes(':') ? servedName : `${servedName}:latest`;
}

/** Whether the name routed as `<provider>/<model>` rather than as an alias or a listed id (compared in place: no string made). */
function isProviderModelName(resolved: ResolvedModel): boolean {
  const target = resolved.targets[0];
  if (resolved.targets.length !== 1 || target === undefined) return false;
  const { name } = resolved;
  const id = target.provider.id;
  return name.length === id.length + 1 + target.upstreamModel.length && name.startsWith(id) && name.charCodeAt(id.length) === SLASH && name.endsWith(target.upstreamModel);
}

const SLASH = '/'.charCodeAt(0);
const LATEST_TAG = /:latest$/i;

function hasLatestTag(name: string): boolean {
  return LATEST_TAG.test(name);
}

function withoutLatest(name: string): string {
  return hasLatestTag(name) ? name.slice(0, -':latest'.length) : name;
}

function fromResolved(resolved: ResolvedModel): OllamaModelEntry {
  const entry = entryOf(resolved.name, resolved.targets[0]?.upstreamModel ?? resolved.name, resolved.contextLength, resolved.capabilities, resolved.upstream?.created);
  entry.routed = resolved;
  return entry;
}

function entryOf(
  servedName: string,
  upstreamModel: string,
  contextLength: number | undefined,
  capabilities: ModelCapability[] | undefined,
  created: number | undefined,
): OllamaModelEntry {
  const entry: OllamaModelEntry = { servedName, ollamaName: ollamaDisplayName(servedName), upstreamModel };
  if (contextLength !== undefined) entry.contextLength = contextLength;
  if (capabilities !== undefined) entry.capabilities = capabilities;
  if (created !== undefined) entry.created = created;
  return entry;
}
