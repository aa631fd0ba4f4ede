import type { GatewayError } from '../../canonical/gateway-error.ts';

const UNSUPPORTED_PROPERTY = /property '([^']+)' is unsupported/g;

/**
 * The body paths a Cerebras refusal names. Cerebras validates the body strictly and names each
 * field it does not take only in `message`, one line each, with `param: "validation_error"` and
 * `code: "wrong_api_format"`:
 * `{"message":"messages.2.assistant.reasoning_content: property 'messages.2.assistant.reasoning_content' is unsupported\nmessages.4.assistant.reasoning_content: …","type":"invalid_request_error","param":"validation_error","code":"wrong_api_format"}`
 * (reported in Alishahryar1/free-claude-code#1136, egoist/chatwise-releases#1442; top-level fields
 * read `body.store: property 'body.store' is unsupported`, Gitlawb/openclaude#740). A `param`
 * that names a field (the OpenAI way) counts too.
 */
export function cerebrasRejectedFieldPaths(error: GatewayError): string[] {
  const paths = [...error.message.matchAll(UNSUPPORTED_PROPERTY)].map((match) => match[1] ?? '').filter((path) => path !== '');
  if (error.param !== undefined && error.param !== 'validation_error' && !paths.includes(error.param)) paths.push(error.param);
  return paths;
}
