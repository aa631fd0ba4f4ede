import { z } from 'zod';
import { GatewayError } from '../../../canonical/gateway-error.ts';
import type { JsonObject, StoredResponse } from '../../../state/response-store.ts';

const querySchema = z.object({
  after: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  include: z.union([z.string(), z.array(z.string())]).optional(),
});

/**
 * `GET /v1/responses/{id}/input_items`: a response's input items as a cursor page
 * (openai-node src/resources/responses/input-items.ts): newest first unless `order=asc`,
 * `limit` items (20 by default) after the item `after`.
 */
export function listResponseInputItems(stored: StoredResponse, query: unknown): JsonObject {
  const parsed = querySchema.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = String(issue?.path[0] ?? 'query');
    throw new GatewayError('invalid_request', `${param}: ${issue?.message ?? 'invalid'}`, { param });
  }
  const { after, limit, order } = parsed.data;
  const items = order === 'desc' ? [...stored.inputItems].reverse() : stored.inputItems;
  let start = 0;
  if (after !== undefined) {
    const position = items.findIndex((item) => item['id'] === after);
    if (position === -1) throw new GatewayError('invalid_request', `after: no input item '${after}' in response '${stored.id}'`, { param: 'after' });
    start = position + 1;
  }
  const page = items.slice(start, start + limit);
  return {
    object: 'list',
    data: page,
    first_id: page[0]?.['id'] ?? null,
    last_id: page.at(-1)?.['id'] ?? null,
    has_more: start + limit < items.length,
  };
}
