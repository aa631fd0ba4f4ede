import type { ChatRequest } from '../../../canonical/chat-request.ts';
import { responseText } from '../../../canonical/chat-response.ts';
import type { DispatchContext } from '../../../routing/chat-dispatcher.ts';
import type { GatewayServices } from '../../../server/gateway-services.ts';
import type { JsonObject } from '../../../state/response-store.ts';
import { newOpenAIId } from '../new-openai-id.ts';
import { convertResponsesRequestToChatRequest, locateInput } from './convert-responses-request-to-chat-request.ts';
import { replayResponsesHistory, storedInputItems } from './replay-responses-history.ts';
import { toResponsesUsage } from './responses-envelope.ts';
import type { ResponsesCompactRequest } from './responses-request-schema.ts';

const SUMMARY_REQUEST =
  'Write a compact hand-over summary of the conversation so far for whoever continues it: the goal, what was done and found ' +
  '(files, commands, results), decisions made, and what remains to do. Reply with the summary only.';

const SUMMARY_HEADING = 'Summary of the earlier conversation (compacted by llmux):\n\n';

/**
 * `POST /v1/responses/compact` (codex-rs codex-api/src/endpoint/compact.rs): the conversation
 * shortened to what a later turn needs, answered as `{ output: [items] }`. OpenAI returns an
 * encrypted compaction item only its own models can read; llmux asks the upstream model for a
 * summary instead and returns the user's own messages followed by that summary as a user
 * message, which every provider can take back as input.
 */
export async function compactResponsesConversation(body: ResponsesCompactRequest, services: GatewayServices, context: DispatchContext): Promise<JsonObject> {
  const history = body.previous_response_id == null ? [] : await replayResponsesHistory(services.responses, body.previous_response_id);
  const input = [...history, ...locateInput(body.input)];
  const conversation = convertResponsesRequestToChatRequest({ model: body.model, input: input.map((located) => located.item), tools: body.tools ?? null });
  const request: ChatRequest = {
    ...conversation,
    messages: [...conversation.messages, { role: 'user', parts: [{ type: 'text', text: SUMMARY_REQUEST }] }],
    stream: false,
  };
  if (request.tools !== undefined) request.toolChoice = 'none';
  if (body.instructions != null && body.instructions.length > 0) request.messages.unshift({ role: 'system', parts: [{ type: 'text', text: body.instructions }] });
  const { response } = await services.dispatcher.complete(request, context);
  const userMessages = storedInputItems(input).filter((item) => item['type'] === 'message' && item['role'] === 'user');
  return {
    id: newOpenAIId('resp_'),
    object: 'response.compaction',
    created_at: Math.floor(Date.now() / 1000),
    output: [...userMessages, { id: newOpenAIId('msg_'), type: 'message', role: 'user', content: [{ type: 'input_text', text: SUMMARY_HEADING + responseText(response) }] }],
    usage: toResponsesUsage(response.usage),
  };
}
