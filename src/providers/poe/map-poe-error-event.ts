import { GatewayError } from '../../canonical/gateway-error.ts';
import type { PoeErrorEventData } from './poe-bot-event-schemas.ts';

/** Poe `error_type`s that mean the request itself cannot succeed (types.py `ErrorType`). */
const USER_ERROR_TYPES = new Set(['user_message_too_long', 'user_caused_error', 'privacy_authorization_error']);

/**
 * A bot-protocol `error` event → GatewayError. `insufficient_fund` → 402; the user errors → 400;
 * anything else → 502, retryable when the bot allows it (`allow_retry` defaults to true, as in
 * fastapi_poe's client) and nothing has reached the client yet.
 */
export function mapPoeErrorEvent(data: PoeErrorEventData, botName: string, hasOutput: boolean): GatewayError {
  const errorType = data.error_type ?? undefined;
  const said = data.text === undefined || data.text === null || data.text === '' ? undefined : data.text;
  const code = errorType ?? undefined;
  if (errorType === 'insufficient_fund') {
    return new GatewayError('payment_required', `the Poe account has no points left for bot '${botName}'${said === undefined ? '' : ': ' + said}`, {
      retryable: false,
      code: 'insufficient_fund',
    });
  }
  if (errorType !== undefined && USER_ERROR_TYPES.has(errorType)) {
    return new GatewayError('invalid_request', `Poe bot '${botName}' refused the request (${errorType})${said === undefined ? '' : ': ' + said}`, {
      retryable: false,
      code: errorType,
    });
  }
  const allowRetry = data.allow_retry !== false;
  return new GatewayError('upstream', `Poe bot '${botName}' reported an error${said === undefined ? '' : ': ' + said}`, {
    retryable: allowRetry && !hasOutput,
    ...(code === undefined ? {} : { code }),
  });
}
