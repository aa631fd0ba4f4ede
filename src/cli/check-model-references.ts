import type { GatewayConfig } from '../config/gateway-config-schema.ts';

/** A model name the config (or the environment, through MODEL_MAPPING / CAI_MODEL) routes to. */
interface ModelReference {
  /** Where it is written: `models[0].target`, `default_model`. */
  where: string;
  providerId: string;
  model: string;
}

/**
 * Every `<provider>/<model>` the config names, checked against the model lists the providers
 * gave: one line per model a provider does not list, with near names and other providers that
 * list it. Wildcard targets and providers that could not be listed are not judged.
 */
export function checkModelReferences(config: Pick<GatewayConfig, 'models' | 'default_model' | 'providers'>, listed: ReadonlyMap<string, readonly string[]>): string[] {
  const references: ModelReference[] = [];
  const add = (where: string, target: string): void => {
    const slash = target.indexOf('/');
    if (target.includes('*')) return;
    if (slash === -1) {
      // A bare name goes to whichever provider lists it: it is missing only when none does.
      if ([...listed.values()].some((ids) => ids.includes(target))) return;
      references.push({ where, providerId: '', model: target });
      return;
    }
    references.push({ where, providerId: target.slice(0, slash), model: target.slice(slash + 1) });
  };
  config.models.forEach((alias, index) => {
    if (alias.name.includes('*')) return;
    if (alias.target !== undefined) add(`models[${index}].target (${alias.name})`, alias.target);
    alias.targets?.forEach((target, position) => add(`models[${index}].targets[${position}] (${alias.name})`, target));
  });
  const defaultModel = config.default_model;
  if (defaultModel !== undefined && !config.models.some((alias) => alias.name === defaultModel)) add('default_model', defaultModel);
  const problems: string[] = [];
  for (const reference of references) {
    if (reference.providerId === '') {
      const near = [...listed.values()].flat().filter((candidate) => isNear(reference.model, candidate)).slice(0, 3);
      problems.push(`${reference.where}: no provider lists model '${reference.model}'${near.length === 0 ? '' : `; did you mean ${near.map((name) => `'${name}'`).join(' or ')}?`}`);
      continue;
    }
    const models = listed.get(reference.providerId);
    const extra = config.providers.find((provider) => provider.id === reference.providerId)?.models ?? [];
    if (models === undefined || models.includes(reference.model) || extra.includes(reference.model)) continue;
    const near = models.filter((candidate) => isNear(reference.model, candidate)).slice(0, 3);
    const elsewhere = [...listed].filter(([providerId, ids]) => providerId !== reference.providerId && ids.includes(reference.model)).map(([providerId]) => providerId);
    const hints = [
      ...(near.length === 0 ? [] : [`did you mean ${near.map((name) => `'${name}'`).join(' or ')}?`]),
      ...(elsewhere.length === 0 ? [] : [`${elsewhere.map((id) => `'${id}'`).join(', ')} list${elsewhere.length === 1 ? 's' : ''} it`]),
    ];
    problems.push(`${reference.where}: provider '${reference.providerId}' does not list model '${reference.model}'${hints.length === 0 ? '' : `; ${hints.join('; ')}`}`);
  }
  return problems;
}

/** Near enough to suggest: the same ignoring case and separators, one inside the other, or an edit apart (two in long names). */
function isNear(wanted: string, candidate: string): boolean {
  const a = wanted.toLowerCase().replace(/[-_.:\s]/g, '');
  const b = candidate.toLowerCase().replace(/[-_.:\s]/g, '');
  if (a === b || (a.length >= 4 && b.includes(a)) || (b.length >= 4 && a.includes(b))) return true;
  return editDistance(a, b) <= (Math.min(a.length, b.length) >= 10 ? 2 : 1);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
