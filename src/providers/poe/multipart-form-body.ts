import { randomBytes } from 'node:crypto';

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  data: Uint8Array;
}

/**
 * A `multipart/form-data` body with one file field (RFC 7578), built in memory: the upstream
 * client sends whole buffers. Names are escaped as the HTML spec's form encoding does
 * (`"` → %22, CR → %0D, LF → %0A).
 */
export function multipartFormBody(file: MultipartFile): { body: Buffer; contentType: string } {
  const boundary = '----llmux' + randomBytes(12).toString('hex');
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${escapeName(file.field)}"; filename="${escapeName(file.filename)}"\r\n` +
    `Content-Type: ${file.contentType}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head, 'utf8'), file.data, Buffer.from(tail, 'utf8')]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

function escapeName(name: string): string {
  return name.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}
