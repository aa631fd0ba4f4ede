import { adminKey } from '../api.js';
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { ms, number, usd } from '../format.js';
import { messagesIn, PROTOCOLS } from '../wire-protocols.js';

const CLIENT_KEY = 'llmux-playground-key';
const SAMPLE_TOOLS = JSON.stringify([{ type: 'function', function: { name: 'get_weather', description: 'The weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }], null, 2);

/** Try a model through any client protocol: the stream as it arrives, the raw exchange, routing, tokens, cost, overhead. */
export async function playgroundPage(view, { report }) {
  const overview = await api('/admin/models');
  const available = overview.protocols ?? {};
  const turns = [];
  let image;
  let controller;

  const model = h('select', { name: 'model', id: 'pg-model' }, overview.models.map((one) => h('option', { value: one.name }, one.name)));
  const protocol = h('select', { name: 'protocol', id: 'pg-protocol' }, Object.entries(PROTOCOLS).map(([name, spec]) => h('option', { value: name, disabled: available[name] === false }, available[name] === false ? `${spec.label} (not in this build)` : spec.label)));
  const clientKey = h('input', { type: 'password', name: 'client-key', autocomplete: 'off', value: sessionStorage.getItem(CLIENT_KEY) ?? '', placeholder: 'empty when llmux has no keys' });
  const system = h('textarea', { name: 'system', rows: 2, placeholder: 'optional system prompt' });
  const prompt = h('textarea', { name: 'prompt', rows: 3, required: true, placeholder: 'Ask something…' });
  const imageInput = h('input', { type: 'file', accept: 'image/*', name: 'image' });
  const stream = h('input', { type: 'checkbox', name: 'stream', checked: true });
  const useTools = h('input', { type: 'checkbox', name: 'use-tools' });
  const tools = h('textarea', { name: 'tools', rows: 6, class: 'mono', hidden: true }, SAMPLE_TOOLS);
  const send = h('button', { class: 'primary', id: 'pg-send' }, 'Send');
  const stop = h('button', { type: 'button', disabled: true, onclick: () => controller?.abort() }, 'Stop');
  const clear = h('button', { type: 'button', class: 'ghost', onclick: () => { turns.length = 0; drawConversation(); } }, 'Clear conversation');
  const conversation = h('div', { 'aria-live': 'polite', id: 'pg-conversation' });
  const output = h('div', { class: 'stream-out', id: 'pg-output', 'aria-live': 'polite', 'aria-label': 'Answer as it streams' });
  const facts = h('dl', { class: 'kv', id: 'pg-facts' });
  const wireRequest = h('pre', { id: 'pg-wire-request' });
  const wireResponse = h('pre', { id: 'pg-wire-response' });

  useTools.addEventListener('change', () => (tools.hidden = !useTools.checked));
  imageInput.addEventListener('change', async () => {
    const file = imageInput.files?.[0];
    if (!file) return (image = undefined);
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    image = { mediaType: file.type || 'image/png', base64: btoa(binary) };
  });

  const form = h(
    'form',
    { class: 'panel', 'aria-label': 'Request' },
    h('div', { class: 'row' }, h('label', {}, 'Model', model), h('label', {}, 'Protocol', protocol), h('label', {}, 'Client key', clientKey), h('label', { class: 'inline' }, stream, 'Stream')),
    h('label', {}, 'System', system),
    conversation,
    h('label', {}, 'Message', prompt),
    h('div', { class: 'row' }, h('label', {}, 'Image (optional)', imageInput), h('label', { class: 'inline' }, useTools, 'Offer tools')),
    tools,
    h('div', { class: 'row' }, send, stop, clear),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });

  replace(
    view,
    h('h1', {}, 'Playground'),
    h('div', { class: 'split' }, h('div', {}, form), h('div', {}, h('section', { class: 'panel', 'aria-labelledby': 'answer-title' }, h('h2', { id: 'answer-title' }, 'Answer'), output, h('h2', {}, 'Routing and cost'), facts))),
    h('section', { class: 'panel' }, h('h2', {}, 'Wire exchange'), h('div', { class: 'split' }, h('div', {}, h('h3', {}, 'Request'), wireRequest), h('div', {}, h('h3', {}, 'Response'), wireResponse))),
  );
  drawConversation();

  function drawConversation() {
    replace(conversation, turns.map((turn) => h('p', {}, h('strong', {}, `${turn.role}: `), turn.text, turn.image ? h('span', { class: 'pill' }, 'image') : null)));
  }

  async function run() {
    const spec = PROTOCOLS[protocol.value];
    sessionStorage.setItem(CLIENT_KEY, clientKey.value);
    let toolList = [];
    if (useTools.checked) {
      try {
        toolList = JSON.parse(tools.value);
      } catch (error) {
        return report(new Error(`tools: not JSON (${error.message})`));
      }
    }
    const turn = { role: 'user', text: prompt.value, ...(image ? { image } : {}) };
    const body = spec.body({ model: model.value, system: system.value.trim(), turns: [...turns, turn], tools: toolList, stream: stream.checked });
    const headers = { 'content-type': 'application/json', ...spec.headers(clientKey.value.trim()) };
    const shownHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, /authorization|api-key/.test(name) ? '(hidden)' : value]));
    wireRequest.textContent = `POST ${spec.path}\n${Object.entries(shownHeaders).map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n${JSON.stringify(body, null, 2).replace(/"[A-Za-z0-9+/=]{200,}"/g, (data) => `"${data.slice(1, 40)}… (${data.length - 2} characters)"`)}`;
    wireResponse.textContent = '';
    output.textContent = '';
    replace(facts);
    const answer = { text: '', reasoning: '', toolCalls: [], usage: undefined, finish: undefined };
    controller = new AbortController();
    send.disabled = true;
    stop.disabled = false;
    report(null);
    try {
      const response = await fetch(spec.path, { method: 'POST', headers, body: JSON.stringify(body), signal: controller.signal });
      wireResponse.textContent = `${response.status} ${response.statusText}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n`;
      const framing = response.headers.get('content-type')?.includes('json') && !response.headers.get('content-type')?.includes('ndjson') ? 'json' : spec.framing;
      let raw = '';
      let pending = '';
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        raw += value;
        wireResponse.append(value);
        if (framing === 'json') continue;
        pending += value;
        const cut = pending.lastIndexOf(framing === 'sse' ? '\n\n' : '\n');
        if (cut === -1) continue;
        for (const message of messagesIn(framing, pending.slice(0, cut))) if (response.ok) spec.read(message, answer);
        pending = pending.slice(cut + (framing === 'sse' ? 2 : 1));
        drawAnswer(answer);
      }
      if (framing === 'json' && response.ok) spec.read(JSON.parse(raw), answer);
      else if (pending.trim() && response.ok) for (const message of messagesIn(framing, pending)) spec.read(message, answer);
      drawAnswer(answer);
      if (!response.ok) output.textContent = `Error ${response.status}: ${errorMessage(raw)}`;
      else {
        turns.push(turn, { role: 'assistant', text: answer.text });
        prompt.value = '';
        drawConversation();
      }
      await drawFacts(response, answer);
    } catch (error) {
      if (error.name !== 'AbortError') report(error);
    } finally {
      send.disabled = false;
      stop.disabled = true;
    }
  }

  function drawAnswer(answer) {
    replace(
      output,
      answer.reasoning ? h('details', {}, h('summary', {}, 'Reasoning'), answer.reasoning) : null,
      answer.text,
      answer.toolCalls.filter(Boolean).map((call) => h('pre', {}, `tool call ${call.name}(${call.arguments})`)),
    );
  }

  async function drawFacts(response, answer) {
    const requestId = response.headers.get('x-request-id');
    const fact = (name, value) => [h('dt', {}, name), h('dd', {}, value ?? '–')];
    replace(
      facts,
      fact('Status', `${response.status}${answer.finish ? ` · finish: ${answer.finish}` : ''}`),
      fact('Routed to', response.headers.get('x-llmux-provider') ? `${response.headers.get('x-llmux-provider')} / ${response.headers.get('x-llmux-model')}` : undefined),
      fact('Tokens', answer.usage ? `${number(answer.usage.input)} in · ${number(answer.usage.output)} out` : undefined),
      fact('x-llmux-overhead-ms', response.headers.get('x-llmux-overhead-ms')),
      fact('Request id', requestId),
    );
    // The outcome record (with its cost) is published once the connection is done with.
    for (let attempt = 0; requestId && attempt < 60; attempt++) {
      try {
        const { outcome } = await api(`/admin/requests/${encodeURIComponent(requestId)}`);
        facts.append(...fact('Cost', usd(outcome.costUsd)), ...fact('Total time', ms(outcome.totalMs)), ...fact('First token', ms(outcome.ttftMs)), ...fact('Attempts', outcome.attempts.map((one) => `${one.provider}/${one.model} ${one.status}`).join(', ')));
        return;
      } catch (error) {
        if (error.status !== 404) return facts.append(...fact('Cost', adminKey() ? error.message : 'needs the admin key'));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  return () => controller?.abort();
}

function errorMessage(raw) {
  try {
    const body = JSON.parse(raw);
    return body.error?.message ?? body.error ?? raw;
  } catch {
    return raw;
  }
}
