import type { MediaSource, MessagePart } from '../../canonical/chat-message.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { OpenAIContentPart } from './openai-chat-request-schema.ts';

/**
 * One OpenAI content part → a canonical part. `param` names the part (`messages[1].content[0]`)
 * for errors. Audio input has no canonical part, so it is refused rather than silently dropped.
 */
export function convertOpenAIContentPart(part: OpenAIContentPart, param: string): MessagePart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'refusal':
      return { type: 'text', text: part.refusal };
    case 'image_url': {
      const image: MessagePart = { type: 'image', source: parseMediaUrl(part.image_url.url, `${param}.image_url.url`) };
      if (part.image_url.detail != null) image.detail = part.image_url.detail;
      return image;
    }
    case 'file':
      return convertFilePart(part.file, param);
    case 'input_audio':
      throw new GatewayError(
        'invalid_request',
        `${param}: input_audio content is not supported by llmux; transcribe the audio first and send text`,
        { param, code: 'unsupported_content' },
      );
  }
}

function convertFilePart(file: Extract<OpenAIContentPart, { type: 'file' }>['file'], param: string): MessagePart {
  if (file.file_data == null || file.file_data.length === 0) {
    const reason = file.file_id != null ? 'file_id refers to the OpenAI Files API, which llmux does not have' : 'file_data is missing';
    throw new GatewayError('invalid_request', `${param}.file: ${reason}; send the file inline as file.file_data (a data: URL)`, {
      param: `${param}.file.file_data`,
    });
  }
  const source = file.file_data.startsWith('data:')
    ? parseMediaUrl(file.file_data, `${param}.file.file_data`)
    : ({ kind: 'base64', mediaType: mediaTypeFromFilename(file.filename) ?? 'application/octet-stream', data: file.file_data } satisfies MediaSource);
  const part: MessagePart = { type: 'file', source };
  if (file.filename != null) part.filename = file.filename;
  return part;
}

/**
 * An image or file reference: a `data:` URL becomes inline base64, http(s) stays a URL, and bare
 * base64 (which OpenAI's docs also allow for `image_url.url`) is recognised by its magic bytes.
 */
export function parseMediaUrl(url: string, param: string): MediaSource {
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    if (comma === -1) throw new GatewayError('invalid_request', `${param}: malformed data: URL (no comma)`, { param });
    const header = url.slice(5, comma);
    const isBase64 = header.endsWith(';base64');
    const mediaType = (isBase64 ? header.slice(0, -7) : header).split(';')[0] || 'application/octet-stream';
    const payload = url.slice(comma + 1);
    if (payload.length === 0) throw new GatewayError('invalid_request', `${param}: the data: URL holds no data`, { param });
    return { kind: 'base64', mediaType, data: isBase64 ? payload : percentDecodedBase64(payload, param) };
  }
  if (/^https?:\/\//i.test(url)) return { kind: 'url', url };
  const sniffed = sniffBase64ImageType(url);
  if (sniffed !== undefined) return { kind: 'base64', mediaType: sniffed, data: url };
  throw new GatewayError('invalid_request', `${param}: expected an http(s) URL or a data: URL`, { param });
}

/** A non-base64 `data:` payload is percent-encoded text (RFC 2397); a bad escape is the client's error, not a 500. */
function percentDecodedBase64(payload: string, param: string): string {
  try {
    return Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  } catch {
    throw new GatewayError('invalid_request', `${param}: malformed data: URL (bad percent-encoding); send the data base64-encoded`, { param });
  }
}

const BASE64_IMAGE_PREFIXES: readonly (readonly [string, string])[] = [
  ['/9j/', 'image/jpeg'],
  ['iVBORw0KGgo', 'image/png'],
  ['R0lGOD', 'image/gif'],
  ['UklGR', 'image/webp'],
];

function sniffBase64ImageType(data: string): string | undefined {
  for (const [prefix, mediaType] of BASE64_IMAGE_PREFIXES) if (data.startsWith(prefix)) return mediaType;
  return undefined;
}

const MEDIA_TYPES_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

export function mediaTypeFromFilename(filename: string | null | undefined): string | undefined {
  const extension = filename?.split('.').pop()?.toLowerCase();
  return extension === undefined ? undefined : MEDIA_TYPES_BY_EXTENSION[extension];
}
