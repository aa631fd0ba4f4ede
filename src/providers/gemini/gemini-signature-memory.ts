/** How many signed calls are remembered; the oldest are forgotten first. */
const DEFAULT_CAPACITY = 10_000;

/**
 * The thought signatures of function calls this provider answered, by tool-call id. An OpenAI or
 * Ollama client sends a tool call back without them; Gemini 3 refuses such a call, so the adapter
 * puts the signature back from here when the request carries none.
 */
export class GeminiSignatureMemory {
  private readonly signatures = new Map<string, string>();
  private readonly capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.capacity = capacity;
  }

  remember(toolCallId: string, signature: string): void {
    this.signatures.delete(toolCallId);
    this.signatures.set(toolCallId, signature);
    if (this.signatures.size > this.capacity) {
      const oldest = this.signatures.keys().next();
      if (oldest.done !== true) this.signatures.delete(oldest.value);
    }
  }

  recall(toolCallId: string): string | undefined {
    return this.signatures.get(toolCallId);
  }
}
