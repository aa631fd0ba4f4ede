import { api } from '../api.js';
import { timeChart } from '../chart.js';
import { h, replace } from '../dom.js';
import { ms, number, percent, usd } from '../format.js';

const RANGES = [
  ['hour', 'Last hour'],
  ['day', 'Last day'],
  ['month', 'Last 30 days'],
];
const REFRESH_MS = 10_000;

/** Requests, tokens, cost, errors and latency over time, from the usage records. */
export async function overviewPage(view, { report }) {
  const state = { range: sessionStorage.getItem('llmux-range') ?? 'day', key: '', model: '', provider: '' };
  const controls = h('div', { class: 'row panel', role: 'group', 'aria-label': 'Range and filters' });
  const body = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' });
  replace(view, h('h1', {}, 'Overview'), controls, body);

  async function load() {
    const query = new URLSearchParams({ range: state.range });
    for (const name of ['key', 'model', 'provider']) if (state[name]) query.set(name, state[name]);
    try {
      const series = await api(`/admin/usage/series?${query}`);
      drawControls(series.choices);
      drawBody(series);
      report(null);
    } catch (error) {
      report(error);
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function drawControls(choices) {
    const rangeButtons = RANGES.map(([value, label]) =>
      h('button', { type: 'button', 'aria-pressed': String(state.range === value), onclick: () => { state.range = value; sessionStorage.setItem('llmux-range', value); void load(); } }, label),
    );
    const select = (name, label, values) =>
      h(
        'label',
        {},
        label,
        h(
          'select',
          { name, onchange: (event) => { state[name] = event.target.value; void load(); } },
          h('option', { value: '' }, 'All'),
          [...new Set([...values, state[name]].filter(Boolean))].map((value) => h('option', { value, selected: value === state[name] }, value)),
        ),
      );
    const focused = document.activeElement?.name ?? document.activeElement?.textContent;
    replace(controls, h('div', { class: 'row', role: 'group', 'aria-label': 'Time range' }, rangeButtons), select('key', 'Key', choices.keys), select('model', 'Model', choices.models), select('provider', 'Provider', choices.providers));
    // Keep keyboard focus where it was across a redraw.
    const again = [...controls.querySelectorAll('button, select')].find((element) => element.name === focused || (element.tagName === 'BUTTON' && element.textContent === focused));
    again?.focus();
  }

  function drawBody(series) {
    const { totals, points } = series;
    const starts = points.map((point) => point.start);
    const timeLabel = (start) => {
      const date = new Date(start);
      return series.range === 'month' ? date.toLocaleDateString([], { month: 'short', day: 'numeric' }) : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    };
    const card = (label, value, extra) => h('div', { class: 'card' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), extra ? h('div', { class: 'muted' }, extra) : null);
    const pick = (field, which) => points.map((point) => point[field]?.[which] ?? null);
    replace(
      body,
      h(
        'div',
        { class: 'cards' },
        card('Requests', number(totals.requests)),
        card('Error rate', percent(totals.errors, totals.requests), `${number(totals.errors)} errors`),
        card('Tokens', number(totals.inputTokens + totals.outputTokens), `${number(totals.inputTokens)} in · ${number(totals.outputTokens)} out`),
        card('Cost', usd(totals.costUsd), totals.unpriced ? `${totals.unpriced} requests without a price` : null),
        card('Latency p50 / p95', `${ms(totals.latencyMs?.p50)} / ${ms(totals.latencyMs?.p95)}`),
        card('First token p50 / p95', `${ms(totals.ttftMs?.p50)} / ${ms(totals.ttftMs?.p95)}`),
      ),
      totals.requests === 0 ? h('p', { class: 'panel muted' }, 'No requests in this range yet.') : null,
      h(
        'div',
        { class: 'grid' },
        timeChart({ title: 'Requests', starts, timeLabel, format: number, series: [{ label: 'requests', kind: 'bar', values: points.map((point) => point.requests) }, { label: 'errors', kind: 'bar', values: points.map((point) => point.errors) }] }),
        timeChart({ title: 'Tokens', starts, timeLabel, format: number, series: [{ label: 'input', kind: 'bar', values: points.map((point) => point.inputTokens) }, { label: 'output', kind: 'bar', values: points.map((point) => point.outputTokens) }] }),
        timeChart({ title: 'Cost', starts, timeLabel, format: usd, series: [{ label: 'US dollars', kind: 'bar', values: points.map((point) => point.costUsd) }] }),
        timeChart({ title: 'Error rate', starts, timeLabel, format: (value) => `${Number(value.toFixed(1))}%`, series: [{ label: 'errors per request', kind: 'line', values: points.map((point) => (point.requests ? (100 * point.errors) / point.requests : null)) }] }),
        timeChart({ title: 'Latency', starts, timeLabel, format: ms, series: [{ label: 'p50', kind: 'line', values: pick('latencyMs', 'p50') }, { label: 'p95', kind: 'line', values: pick('latencyMs', 'p95') }, { label: 'p99', kind: 'line', values: pick('latencyMs', 'p99') }] }),
        timeChart({ title: 'Time to first token', starts, timeLabel, format: ms, series: [{ label: 'p50', kind: 'line', values: pick('ttftMs', 'p50') }, { label: 'p95', kind: 'line', values: pick('ttftMs', 'p95') }, { label: 'p99', kind: 'line', values: pick('ttftMs', 'p99') }] }),
      ),
    );
  }

  await load();
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') void load();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
