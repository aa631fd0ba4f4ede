import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MediaSource } from '../../canonical/chat-message.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { checkUpstreamStatus } from '../shared/check-upstream-status.ts';
import { readUpstreamText } from '../shared/read-upstream-body.ts';
import type { UpstreamHttpClient } from '../shared/upstream-http-client.ts';
import { multipartFormBody } from './multipart-form-body.ts';
import { parsePoeErrorBody } from './parse-poe-error-body.ts';

/** An uploaded file as a bot-protocol message references it (types.py `Attachment`). */
export interface PoeAttachment {
  url: string;
  content_type: string;
  name: string;
}

const uploadResponseSchema = z.looseObject({ attachment_url: z.string().min(1), mime_type: z.string().min(1) });

/** Uploads remembered, so that a conversation re-sending its images does not upload them again. */
const CACHE_SIZE = 256;

/**
 * Uploads images and files for the bot protocol, as fastapi_poe's `upload_file` does
 * (src/fastapi_poe/client.py): `POST …/file_upload_3RD_PARTY_POST` with `Authorization: <key>`
 * (no `Bearer`), either a multipart `file` field with a filename or a form `download_url` for a
 * public URL; the answer is `{"attachment_url", "mime_type"}`.
 */
export class PoeAttachmentUploader {
  private readonly httpClient: UpstreamHttpClient;
  private readonly uploadUrl: string;
  private readonly providerId: string;
  private readonly cache = new Map<string, PoeAttachment>();

  constructor(httpClient: UpstreamHttpClient, uploadUrl: string, providerId: string) {
    this.httpClient = httpClient;
    this.uploadUrl = uploadUrl;
    this.providerId = providerId;
  }

  async upload(source: MediaSource, filename: string | undefined, key: string | undefined, signal: AbortSignal): Promise<PoeAttachment> {
    const media = readMedia(source, filename);
    const cacheKey = media.kind === 'url' ? 'url:' + media.url : 'sha256:' + createHash('sha256').update(media.data).digest('hex');
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) {
      this.cache.delete(cacheKey);
      this.cache.set(cacheKey, cached);
      return cached;
    }
    if (key === undefined) {
      throw new GatewayError('authentication', `cannot upload '${media.name}' to Poe: the provider has no api_key`, { retryable: false });
    }
    const request =
      media.kind === 'url'
        ? {
            body: new URLSearchParams({ download_url: media.url, download_filename: media.name }).toString(),
            contentType: 'application/x-www-form-urlencoded',
          }
        : multipartFormBody({ field: 'file', filename: media.name, contentType: media.mediaType, data: media.data });
    const response = await this.httpClient.request({
      url: this.uploadUrl,
      method: 'POST',
      headers: { authorization: key, 'content-type': request.contentType, accept: 'application/json' },
      body: request.body,
      signal,
    });
    await checkUpstreamStatus(response, {
      url: this.uploadUrl,
      providerId: this.providerId,
      parseError: (input) => {
        const error = parsePoeErrorBody(input, { call: 'upload' });
        return new GatewayError(error.kind, `could not upload '${media.name}' to Poe: ${error.message}`, {
          retryable: error.retryable,
          upstreamStatus: input.status,
          cause: error,
          ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
        });
      },
    });
    const text = await readUpstreamText(response, this.uploadUrl);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = uploadResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new GatewayError('upstream', `could not upload '${media.name}' to Poe: the upload endpoint answered without attachment_url and mime_type`, {
        retryable: false,
      });
    }
    const attachment: PoeAttachment = { url: parsed.data.attachment_url, content_type: parsed.data.mime_type, name: media.name };
    this.cache.set(cacheKey, attachment);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return attachment;
  }
}

type Media = { kind: 'url'; url: string; name: string } | { kind: 'bytes'; data: Buffer; mediaType: string; name: string };

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

function readMedia(source: MediaSource, filename: string | undefined): Media {
  if (source.kind === 'base64') {
    return { kind: 'bytes', data: Buffer.from(source.data, 'base64'), mediaType: source.mediaType, name: filename ?? defaultName(source.mediaType) };
  }
  const url = source.url;
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    const header = comma === -1 ? '' : url.slice(5, comma);
    if (comma === -1) throw new GatewayError('invalid_request', 'an image data URL has no data', { param: 'messages', retryable: false });
    const mediaType = header.split(';')[0] || 'application/octet-stream';
    const payload = url.slice(comma + 1);
    const data = header.endsWith(';base64') ? Buffer.from(payload, 'base64') : Buffer.from(safeDecode(payload), 'utf8');
    return { kind: 'bytes', data, mediaType, name: filename ?? defaultName(mediaType) };
  }
  if (url.startsWith('http://') || url.startsWith('https://')) {
    return { kind: 'url', url, name: filename ?? nameFromUrl(url) };
  }
  throw new GatewayError('invalid_request', `cannot send '${url.slice(0, 40)}' to Poe: images must be http(s) URLs, data URLs or base64`, {
    param: 'messages',
    retryable: false,
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function defaultName(mediaType: string): string {
  const extension = EXTENSIONS[mediaType] ?? mediaType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') ?? 'bin';
  return `${mediaType.startsWith('image/') ? 'image' : 'file'}.${extension || 'bin'}`;
}

function nameFromUrl(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter((segment) => segment !== '').pop();
    return last === undefined ? 'image' : decodeURIComponent(last);
  } catch {
    return 'image';
  }
}
