import { adminKey, readEvents } from '../api.js';
import { h, replace } from '../dom.js';
import { ms, time, tokens, usd } from '../format.js';

const SHOWN = 200;

/** Requests as they complete, and those in flight, from /admin/events; the outcome record on click. */
export async function livePage(view, { report }) {
  const running = new Map();
  const finished = [];
  const state = h('p', { class: 'muted', role: 'status' }, 'Connecting…');
  const runningBody = h('tbody');
  const finishedBody = h('tbody');
  replace(
    view,
    h('h1', {}, 'Live requests'),
    state,
    h('section', { class: 'panel table-wrap', 'aria-labelledby': 'running-title' }, h('h2', { id: 'running-title' }, 'In flight'), h('table', {}, h('thead', {}, h('tr', {}, ['Started', 'Route', 'Model', 'Request id'].map((title) => h('th', { scope: 'col' }, title)))), runningBody)),
    h(
      'section',
      { class: 'panel table-wrap', 'aria-labelledby': 'finished-title' },
      h('h2', { id: 'finished-title' }, 'Finished'),
      h('p', { class: 'muted' }, 'Prompts and answers are never shown here: the outcome record holds routing, status, tokens and timing only.'),
      h('table', {}, h('thead', {}, h('tr', {}, ['Time', 'Status', 'Model → provider', 'Key', 'Tokens', 'Cost', 'Latency', 'First token'].map((title) => h('th', { scope: 'col' }, title)))), finishedBody),
    ),
  );

  const drawRunning = () =>
    replace(
      runningBody,
      running.size === 0
        ? h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'Nothing in flight.'))
        : [...running.values()].map((request) => h('tr', {}, h('td', {}, time(request.startedAt)), h('td', { class: 'mono' }, request.route), h('td', {}, request.requestedModel ?? '–'), h('td', { class: 'mono' }, request.requestId))),
    );
  const row = (outcome) =>
    h(
      'tr',
      { class: 'clickable', tabindex: 0, dataset: { requestId: outcome.requestId }, onclick: () => details(outcome), onkeydown: (event) => (event.key === 'Enter' || event.key === ' ') && (event.preventDefault(), details(outcome)), 'aria-label': `Request ${outcome.requestId}, status ${outcome.status}: show its outcome record` },
      h('td', {}, time(outcome.startedAt)),
      h('td', {}, h('span', { class: `pill ${outcome.status < 400 ? 'good' : 'bad'}` }, `${outcome.status} ${outcome.result}`)),
      h('td', {}, h('span', { class: 'mono' }, outcome.requestedModel ?? '–'), ' → ', outcome.provider ? h('span', { class: 'mono' }, `${outcome.provider}/${outcome.upstreamModel}`) : '–'),
      h('td', {}, outcome.keyName ?? '–'),
      h('td', {}, tokens(outcome.usage)),
      h('td', {}, usd(outcome.costUsd)),
      h('td', {}, ms(outcome.totalMs)),
      h('td', {}, ms(outcome.ttftMs)),
    );
  const drawFinished = () => replace(finishedBody, finished.length === 0 ? h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No requests yet.')) : finished.map(row));

  const controller = new AbortController();
  (async () => {
    try {
      const headers = adminKey() ? { authorization: `Bearer ${adminKey()}` } : {};
      const response = await fetch('/admin/events', { headers, signal: controller.signal });
      if (!response.ok) {
        const error = new Error((await response.json().catch(() => ({})))?.error?.message ?? `${response.status}`);
        error.status = response.status;
        throw error;
      }
      state.replaceChildren(h('span', { class: 'live-dot', 'aria-hidden': 'true' }), 'Connected: new requests appear as they finish.');
      await readEvents(response, (name, data) => {
        const value = JSON.parse(data);
        if (name === 'snapshot') {
          for (const request of value.running) running.set(request.requestId, request);
          finished.push(...value.recent);
        } else if (name === 'start') running.set(value.requestId, value);
        else if (name === 'outcome') {
          running.delete(value.requestId);
          finished.unshift(value);
          finished.length = Math.min(finished.length, SHOWN);
        }
        drawRunning();
        drawFinished();
      });
      state.textContent = 'The server closed the stream; reload the page to reconnect.';
    } catch (error) {
      if (controller.signal.aborted) return;
      state.textContent = 'Not connected.';
      report(error);
    }
  })();
  drawRunning();
  drawFinished();
  return () => controller.abort();
}

function details(outcome) {
  const dialog = h(
    'dialog',
    { 'aria-labelledby': 'outcome-title', class: 'wide' },
    h('form', { method: 'dialog' }, h('h2', { id: 'outcome-title' }, `Request ${outcome.requestId}`), h('pre', { id: 'outcome-record' }, JSON.stringify(outcome, null, 2)), h('div', { class: 'row' }, h('button', { class: 'primary' }, 'Close'))),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
