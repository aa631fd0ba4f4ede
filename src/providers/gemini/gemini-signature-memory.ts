/** How many signed calls are remembered; the oldest are forgotten first. */
const DEFAULT_CAPACITY = 10_000;

/**
 * The thought signatures of function calls this provider answered, by tool-call id and by the call
 * itself (name and arguments). An OpenAI or Ollama client sends a tool call back without them;
 * Gemini 3 refuses such a call, so the adapter puts the signature back from here when the request
 * carries none. Ollama clients may come back with another id than the one they were given (Ollama's
 * own ids are made per answer), so the call's name and arguments find it too.
 */
export class GeminiSignatureMemory {
  private readonly signatures = new Map<string, string>();
  private readonly capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.capacity = capacity;
  }

  remember(call: { id: string; name: string; arguments: string }, signature: string): void {
    this.put(`id:${call.id}`, signature);
    const key = callKey(call.name, call.arguments);
    if (key !== undefined) this.put(key, signature);
  }

  recall(call: { id: string; name: string; arguments: string }): string | undefined {
    const byId = this.signatures.get(`id:${call.id}`);
    if (byId !== undefined) return byId;
    const key = callKey(call.name, call.arguments);
    return key === undefined ? undefined : this.signatures.get(key);
  }

  private put(key: string, signature: string): void {
    this.signatures.delete(key);
    this.signatures.set(key, signature);
    if (this.signatures.size > this.capacity) {
      const oldest = this.signatures.keys().next();
      if (oldest.done !== true) this.signatures.delete(oldest.value);
    }
  }
}

/** The call's name and its arguments as canonical JSON (keys sorted), so a client's re-serialisation still matches. */
function callKey(name: string, argumentsText: string): string | undefined {
  try {
    return `call:${name}:${JSON.stringify(sorted(JSON.parse(argumentsText === '' ? '{}' : argumentsText)))}`;
  } catch {
    return undefined;
  }
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, entry]) => [key, sorted(entry)]));
}
