import { z } from 'zod';
import { budgetSchema } from '../config/gateway-config-schema.ts';

/** A key name: what usage records, limits and budgets are kept under. */
export const clientKeyNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, 'use up to 64 letters, digits, ".", "_", "@" or "-"');

/** `POST /admin/keys` and `llmux keys create`. */
export const createClientKeyInputSchema = z
  .object({
    name: clientKeyNameSchema,
    models: z.array(z.string().min(1)).min(1).optional(),
    rpm: z.number().int().positive().optional(),
    tpm: z.number().int().positive().optional(),
    budget: budgetSchema.optional(),
  })
  .strict();

export type CreateClientKeyInput = z.infer<typeof createClientKeyInputSchema>;

/** `PATCH /admin/keys/{name}` and `llmux keys update`: a field set to null is removed. */
export const updateClientKeyInputSchema = z
  .object({
    models: z.array(z.string().min(1)).min(1).nullable().optional(),
    rpm: z.number().int().positive().nullable().optional(),
    tpm: z.number().int().positive().nullable().optional(),
    budget: budgetSchema.nullable().optional(),
  })
  .strict();

export type UpdateClientKeyInput = z.infer<typeof updateClientKeyInputSchema>;
