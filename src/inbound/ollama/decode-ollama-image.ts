import type { ImagePart } from '../../canonical/chat-message.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';

const DATA_URL = /^data:([^;,]*)(?:;[^,]*)?;base64,/i;
const NOT_BASE64 = /[^A-Za-z0-9+/=\r\n]/;

/**
 * An Ollama image (raw base64, which Go decodes into []byte) → a canonical image part, or
 * undefined for an empty string. A `data:` URL prefix, which Ollama itself refuses, is stripped;
 * missing `=` padding is forgiven. Anything else that is not base64 is refused before any upstream
 * call with Go's own message (`illegal base64 data at input byte 4`).
 * https://github.com/ollama/ollama/blob/main/api/types.go (ImageData)
 */
export function decodeOllamaImage(image: string, param: string): ImagePart | undefined {
  const dataUrl = DATA_URL.exec(image);
  const data = dataUrl === null ? image : image.slice(dataUrl[0].length);
  if (data.length === 0) return undefined;
  const badAt = firstInvalidByte(data);
  if (badAt !== undefined) {
    throw new GatewayError('invalid_request', `illegal base64 data at input byte ${badAt}`, { param });
  }
  const declared = dataUrl?.[1]?.toLowerCase();
  const mediaType = declared !== undefined && declared.startsWith('image/') ? declared : sniffImageType(data);
  return { type: 'image', source: { kind: 'base64', mediaType, data } };
}

function firstInvalidByte(data: string): number | undefined {
  const bad = NOT_BASE64.exec(data);
  if (bad !== null) return bad.index;
  const padding = data.indexOf('=');
  let length = data.length;
  if (data.includes('\r') || data.includes('\n')) length = data.replace(/[\r\n]/g, '').length;
  if (padding !== -1) {
    const tail = data.slice(padding).replace(/[\r\n]/g, '');
    if (!/^={1,2}$/.test(tail) || length % 4 !== 0) return padding;
  }
  if (length % 4 === 1) return data.length - 1;
  return undefined;
}

/** The image type from its first bytes; clients send no type with raw base64. */
function sniffImageType(data: string): string {
  const head = Buffer.from(data.slice(0, 16), 'base64');
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head[0] === 0x47 && head[1] === 0x49 && head[2] === 0x46) return 'image/gif';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (head[0] === 0x42 && head[1] === 0x4d) return 'image/bmp';
  return 'image/jpeg';
}
