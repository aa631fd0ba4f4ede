import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { number, perMillion, time } from '../format.js';

/** Every routable name with targets, capabilities, context length and price; provider health. */
export async function modelsPage(view) {
  const overview = await api('/admin/models');
  const filter = h('input', { type: 'search', placeholder: 'Filter models', 'aria-label': 'Filter models' });
  const tbody = h('tbody');
  const draw = () => {
    const wanted = filter.value.trim().toLowerCase();
    replace(
      tbody,
      overview.models
        .filter((model) => !wanted || model.name.toLowerCase().includes(wanted) || model.targets.some((target) => `${target.provider}/${target.model}`.toLowerCase().includes(wanted)))
        .map((model) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, h('span', { class: 'mono' }, model.name), model.name === overview.defaultModel ? h('span', { class: 'pill' }, 'default') : null, h('div', { class: 'muted' }, model.kind)),
            h('td', {}, model.targets.map((target, index) => h('div', { class: 'mono' }, `${index + 1}. ${target.provider}/${target.model}`))),
            h('td', {}, model.capabilities.length ? model.capabilities.map((capability) => h('span', { class: 'pill' }, capability)) : h('span', { class: 'muted' }, 'unknown')),
            h('td', {}, model.contextLength ? number(model.contextLength) : '–'),
            h('td', {}, model.targets.map((target) => h('div', { title: target.price ? `price from ${target.price.source}` : 'no known price' }, perMillion(target.price)))),
          ),
        ),
    );
  };
  filter.addEventListener('input', draw);
  draw();
  replace(
    view,
    h('h1', {}, 'Models and providers'),
    h('section', { class: 'grid', 'aria-label': 'Providers' }, overview.providers.map(providerCard)),
    h(
      'section',
      { class: 'panel table-wrap', 'aria-labelledby': 'models-title' },
      h('div', { class: 'row' }, h('h2', { id: 'models-title' }, `Routable models (${overview.models.length})`), filter),
      h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Targets (in order)', 'Capabilities', 'Context', 'Price in / out per 1M'].map((title) => h('th', { scope: 'col' }, title)))), tbody),
    ),
  );
}

function providerCard(provider) {
  const { health } = provider;
  const failing = health.failuresLastHour > 0;
  const status = provider.listingError ? ['bad', 'model list failed'] : failing ? ['warn', `${health.failuresLastHour} of ${health.attemptsLastHour} attempts failed in the last hour`] : ['good', health.attemptsLastHour ? `${health.attemptsLastHour} attempt${health.attemptsLastHour === 1 ? "" : "s"} in the last hour, none failed` : 'no attempts in the last hour'];
  return h(
    'article',
    { class: 'panel', 'aria-label': `Provider ${provider.id}` },
    h('h2', {}, provider.id, ' ', h('span', { class: 'pill' }, provider.type)),
    h('p', { class: status[0] }, status[1]),
    provider.listingError ? h('p', { class: 'bad' }, provider.listingError) : null,
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, 'Keys'),
      h('dd', {}, provider.keyCount === 0 ? 'none configured' : `${provider.keyCount}, ${provider.restingKeys.length} resting`),
      provider.restingKeys.map((key) => [h('dt', {}, key.key), h('dd', { class: 'warn' }, `${key.reason === 'rate_limited' ? 'rate-limited' : 'refused'}, resting until ${time(key.until)}`)]),
      h('dt', {}, 'Last success'),
      h('dd', {}, health.lastSuccessAt ? time(health.lastSuccessAt) : '–'),
      h('dt', {}, 'Rate-limit headroom'),
      provider.headroom.length === 0
        ? h('dd', { class: 'muted' }, 'not reported by the upstream')
        : h('dd', {}, provider.headroom.map((key) => h('div', {}, `${key.key}: ${[key.tokensLeft === undefined ? null : `${number(key.tokensLeft)} tokens`, key.requestsLeft === undefined ? null : `${number(key.requestsLeft)} requests`].filter(Boolean).join(', ')} left${key.tokensResetAt ?? key.requestsResetAt ? ` until ${time(key.tokensResetAt ?? key.requestsResetAt)}` : ''}`))),
    ),
    health.recentFailures.length
      ? h('details', {}, h('summary', {}, `Last errors (${health.recentFailures.length})`), h('ul', {}, health.recentFailures.map((failure) => h('li', {}, `${time(failure.at)} · ${failure.model} · ${failure.status}${failure.errorKind ? ` ${failure.errorKind}` : ''}`))))
      : null,
  );
}
