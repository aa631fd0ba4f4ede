import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The dashboard's files: plain ES modules, CSS and HTML shipped in the package's `ui/`, no build
 * step. Found from the sources (src/dashboard/) and from the compiled build (dist/src/dashboard/).
 */
const UI_DIRECTORY = [new URL('../../ui/', import.meta.url), new URL('../../../ui/', import.meta.url)].map((url) => fileURLToPath(url)).find((path) => existsSync(join(path, 'index.html'))) ?? fileURLToPath(new URL('../../ui/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The page may load only what llmux itself serves: no CDN, no other site (the playground's image
 * is read into a data: URL in the page).
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** `GET /ui/…`: the dashboard's static files; every other path under /ui/ is the app's index page. */
export function serveUiFiles(app: FastifyInstance, allow: (request: FastifyRequest, reply: FastifyReply) => boolean): void {
  app.get('/ui', async (_request, reply) => reply.redirect('/ui/', 302));
  app.get('/ui/*', async (request: FastifyRequest<{ Params: { '*': string } }>, reply) => {
    if (!allow(request, reply)) return reply;
    const wanted = request.params['*'] === '' ? 'index.html' : request.params['*'];
    const path = normalize(join(UI_DIRECTORY, wanted));
    const type = CONTENT_TYPES[extname(path)];
    const inside = path.startsWith(UI_DIRECTORY) && !path.slice(UI_DIRECTORY.length).split(sep).includes('..');
    let body: Buffer;
    try {
      body = await readFile(inside && type !== undefined ? path : join(UI_DIRECTORY, 'index.html'));
    } catch {
      if (type !== undefined && type !== CONTENT_TYPES['.html']) return reply.code(404).type('text/plain; charset=utf-8').send('404 page not found');
      body = await readFile(join(UI_DIRECTORY, 'index.html'));
      return send(reply, body, CONTENT_TYPES['.html'] as string);
    }
    return send(reply, body, inside && type !== undefined ? type : (CONTENT_TYPES['.html'] as string));
  });
}

function send(reply: FastifyReply, body: Buffer, type: string): FastifyReply {
  return reply
    .headers({ 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache', 'referrer-policy': 'no-referrer' })
    .type(type)
    .send(body);
}
