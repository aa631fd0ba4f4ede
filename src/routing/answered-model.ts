import type { ResolvedModel } from './model-router.ts';

/**
 * The model name an answer carries: the client's own (so `name:latest` and aliases echo as sent),
 * except when `default_model` stood in for an unknown name — then the default's, so the answer
 * never claims to come from a model that does not exist.
 */
export function answeredModel(model: ResolvedModel, requested: string): string {
  return model.standsInFor === undefined ? requested : model.name;
}
