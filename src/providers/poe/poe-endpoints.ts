/**
 * Where Poe lives. Both protocols and the upload endpoint are documented in
 * github:poe-platform/fastapi_poe src/fastapi_poe/client.py (`stream_request`, `upload_file`) and
 * https://creator.poe.com/docs/external-applications/openai-compatible-api.
 */
export const POE_ENDPOINTS = {
  /** The OpenAI-compatible API (`protocol: openai`). */
  openaiBaseUrl: 'https://api.poe.com/v1',
  /** The bot query protocol (`protocol: bot`): requests go to `<base><BOT_NAME>`. */
  botBaseUrl: 'https://api.poe.com/bot/',
  /** Attachments for the bot protocol; answers `{attachment_url, mime_type}`. */
  uploadUrl: 'https://www.quora.com/poe_api/file_upload_3RD_PARTY_POST',
  /** The query protocol version fastapi_poe speaks (`PROTOCOL_VERSION`). */
  botProtocolVersion: '1.2',
} as const;

/** `GET /v1/models` on the same origin as a bot base URL: Poe's bot names are its model ids. */
export function poeModelsUrlForBotBase(botBaseUrl: string): string {
  return new URL('/v1/models', botBaseUrl).toString();
}

/**
 * Where attachments are uploaded for a bot base URL: Poe's own upload endpoint
 * (`https://www.quora.com/poe_api/` + `file_upload_3RD_PARTY_POST`, fastapi_poe client.py
 * `upload_file`) when the bots are Poe's, else the same path on the origin `base_url` points at —
 * a gateway, proxy or test server in front of Poe — so no attachment leaves for the real Poe
 * host behind the operator's back. `upload_url` in the config overrides both.
 */
export function poeUploadUrlForBotBase(botBaseUrl: string): string {
  const base = new URL(botBaseUrl);
  if (base.origin === new URL(POE_ENDPOINTS.botBaseUrl).origin) return POE_ENDPOINTS.uploadUrl;
  return new URL(new URL(POE_ENDPOINTS.uploadUrl).pathname, base).toString();
}

/** A bot base URL always ends in `/`, so that `<base><BOT_NAME>` is the bot's endpoint. */
export function normalizePoeBotBaseUrl(url: string): string {
  return url.endsWith('/') ? url : url + '/';
}
