/** A function tool the model may call; `parameters` is a JSON Schema object. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  /** OpenAI `strict` (constrained decoding) where the provider supports it. */
  strict?: boolean;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };
