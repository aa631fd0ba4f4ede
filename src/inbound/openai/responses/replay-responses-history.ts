import { GatewayError } from '../../../canonical/gateway-error.ts';
import type { JsonObject, ResponseStore, StoredResponse } from '../../../state/response-store.ts';
import { newOpenAIId } from '../new-openai-id.ts';
import type { LocatedInputItem } from './convert-responses-input-items.ts';
import { responsesInputItemSchema, type ResponsesInputItem } from './responses-input-item-schema.ts';

/**
 * The conversation a `previous_response_id` continues: for each stored response from the oldest,
 * its input items then its output items (messages, reasoning, function calls) — everything but
 * its `instructions`, which OpenAI does not carry into later turns.
 */
export async function replayResponsesHistory(store: ResponseStore, previousResponseId: string): Promise<LocatedInputItem[]> {
  const chain: StoredResponse[] = [];
  const seen = new Set<string>();
  let id: string | undefined = previousResponseId;
  while (id !== undefined && !seen.has(id)) {
    seen.add(id);
    const stored: StoredResponse | undefined = await store.get(id);
    if (stored === undefined) {
      const detail = id === previousResponseId ? '' : ` (it continues '${id}', which is no longer stored)`;
      throw new GatewayError('not_found', `Previous response with id '${previousResponseId}' not found${detail}.`, {
        param: 'previous_response_id',
        code: 'previous_response_not_found',
      });
    }
    chain.unshift(stored);
    id = stored.previousResponseId;
  }
  const param = 'previous_response_id';
  const items: LocatedInputItem[] = [];
  for (const stored of chain) {
    for (const item of stored.inputItems) items.push({ item: parseStoredItem(item), param });
    const output = stored.response['output'];
    if (Array.isArray(output)) for (const item of output as JsonObject[]) items.push({ item: parseStoredItem(item), param });
  }
  return items;
}

function parseStoredItem(item: JsonObject): ResponsesInputItem {
  return responsesInputItemSchema.parse(item);
}

/**
 * A request's input items as `/input_items` lists them and as they are replayed: each with an
 * `id`, and a message's string content as an `input_text` (or, for an assistant, `output_text`) part.
 */
export function storedInputItems(input: readonly LocatedInputItem[]): JsonObject[] {
  return input.map(({ item }) => {
    if (item.type === 'message') {
      const content = typeof item.content === 'string' ? [{ type: item.role === 'assistant' ? 'output_text' : 'input_text', text: item.content }] : item.content;
      return { ...item, id: item.id ?? newOpenAIId('msg_'), content };
    }
    if (item.type === 'item_reference') return { ...item };
    return { ...item, id: item.id ?? newOpenAIId(ID_PREFIX[item.type]) };
  });
}

const ID_PREFIX: Record<Exclude<ResponsesInputItem['type'], 'message' | 'item_reference'>, string> = {
  function_call: 'fc_',
  function_call_output: 'fco_',
  reasoning: 'rs_',
};
