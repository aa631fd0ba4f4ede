/**
 * A tool that runs on one provider type's own servers (Anthropic's `web_search_20250305`,
 * `code_execution_20250825`…), kept as that provider's wire JSON. Only that provider type can take
 * it; for any other the request is refused naming the tool, since the model could not use it.
 */
export interface ProviderTool {
  /** The provider type that runs it. */
  provider: string;
  /** Its wire type (`web_search_20250305`) and name, for messages. */
  type: string;
  name: string;
  /** Its position in the client's tool list, so the provider puts it back in order (prompt caching depends on it). */
  index: number;
  definition: Record<string, unknown>;
}
