import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { dateTime, usd } from '../format.js';

/** Stored client keys: list, create (secret shown once), edit limits and budget, revoke; spend against budget. */
export async function keysPage(view, { report }) {
  const list = h('div', { class: 'panel table-wrap' });
  const form = keyForm('Create a key', true, async (input) => {
    const created = await api('/admin/keys', { method: 'POST', body: input });
    form.reset();
    showSecret(created.key.name, created.secret);
    await load();
  });
  replace(view, h('h1', {}, 'Keys'), h('section', { class: 'panel', 'aria-labelledby': 'create-key-title' }, h('h2', { id: 'create-key-title' }, 'Create a key'), form), list);

  function keyForm(label, creating, submit, key) {
    const field = (name, text, attributes) => h('label', {}, text, h('input', { name, ...attributes }));
    const element = h(
      'form',
      { class: 'row', 'aria-label': label },
      creating ? field('name', 'Name', { required: true, pattern: '[A-Za-z0-9][A-Za-z0-9_.@\\-]{0,63}', autocomplete: 'off', placeholder: 'team-a' }) : null,
      field('models', 'Allowed models (comma-separated, empty: all)', { value: key?.models?.join(', ') ?? '', placeholder: 'gpt-4o, house' }),
      field('rpm', 'Requests / minute', { type: 'number', min: 1, step: 1, value: key?.rpm ?? '' }),
      field('tpm', 'Tokens / minute', { type: 'number', min: 1, step: 1, value: key?.tpm ?? '' }),
      field('budget', 'Budget (like 25/month, 5/day)', { value: key?.budget?.replace(/^\$/, '') ?? '', pattern: '\\$?\\d+(\\.\\d+)?\\s*/\\s*(day|month)' }),
      h('button', { class: 'primary' }, creating ? 'Create key' : 'Save'),
    );
    element.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(element);
      const input = {};
      if (creating) input.name = String(data.get('name')).trim();
      const models = String(data.get('models')).split(',').map((one) => one.trim()).filter(Boolean);
      const number = (name) => (String(data.get(name)).trim() === '' ? null : Number(data.get(name)));
      const budget = String(data.get('budget')).trim() || null;
      const values = { models: models.length > 0 ? models : null, rpm: number('rpm'), tpm: number('tpm'), budget };
      for (const [name, value] of Object.entries(values)) {
        // Creating: leave unset fields out; editing: null removes a setting.
        if (value !== null || !creating) input[name] = value;
      }
      try {
        await submit(input);
        report(null);
      } catch (error) {
        report(error);
      }
    });
    return element;
  }

  function showSecret(name, secret) {
    const copied = h('span', { class: 'muted', role: 'status' });
    const code = h('code', { id: 'new-key-secret' }, secret);
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'secret-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'secret-title' }, `Key '${name}' created`),
        h('p', {}, 'This is the only time the secret is shown. Copy it now; llmux keeps only a hash of it.'),
        h('div', { class: 'secret' }, code, h('button', { type: 'button', onclick: () => copy(secret, code, copied) }, 'Copy')),
        copied,
        h('div', { class: 'row' }, h('button', { class: 'primary', value: 'close' }, 'Done')),
      ),
    );
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  }

  function confirmRevoke(name) {
    return new Promise((resolve) => {
      const dialog = h(
        'dialog',
        { 'aria-labelledby': 'revoke-title' },
        h('form', { method: 'dialog' }, h('h2', { id: 'revoke-title' }, `Revoke '${name}'?`), h('p', {}, 'Clients using it are refused from now on. This cannot be undone.'), h('div', { class: 'row' }, h('button', { class: 'danger', value: 'revoke' }, 'Revoke'), h('button', { value: 'cancel', class: 'ghost' }, 'Cancel'))),
      );
      dialog.addEventListener('close', () => {
        resolve(dialog.returnValue === 'revoke');
        dialog.remove();
      });
      document.body.append(dialog);
      dialog.showModal();
    });
  }

  function edit(key) {
    const dialog = h('dialog', { 'aria-labelledby': 'edit-title' });
    const editor = keyForm(`Edit ${key.name}`, false, async (input) => {
      await api(`/admin/keys/${encodeURIComponent(key.name)}`, { method: 'PATCH', body: input });
      dialog.close();
      await load();
    }, key);
    replace(dialog, h('h2', { id: 'edit-title' }, `Edit '${key.name}'`), editor, h('form', { method: 'dialog' }, h('button', { class: 'ghost' }, 'Cancel')));
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  }

  async function load() {
    const { keys } = await api('/admin/keys');
    const details = await Promise.all(keys.map((key) => (key.status === 'active' ? api(`/admin/keys/${encodeURIComponent(key.name)}`).catch(() => undefined) : undefined)));
    const rows = keys.map((key, index) => {
      const spent = details[index]?.spent_usd;
      return h(
        'tr',
        { dataset: { key: key.name } },
        h('th', { scope: 'row' }, key.name, h('div', { class: 'muted mono' }, `${key.prefix}…`)),
        h('td', {}, key.status === 'active' ? h('span', { class: 'pill good' }, 'active') : h('span', { class: 'pill bad' }, `revoked ${dateTime(Date.parse(key.revoked_at))}`)),
        h('td', {}, key.models ? key.models.map((model) => h('span', { class: 'pill' }, model)) : h('span', { class: 'muted' }, 'all')),
        h('td', {}, key.rpm ?? '–', ' / ', key.tpm ?? '–'),
        h('td', {}, spendCell(key.budget, spent)),
        h('td', { class: 'hide-narrow' }, dateTime(Date.parse(key.created_at))),
        h(
          'td',
          {},
          key.status === 'active'
            ? h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => edit(key), 'aria-label': `Edit ${key.name}` }, 'Edit'), h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${key.name}`, onclick: async () => {
                if (!(await confirmRevoke(key.name))) return;
                try {
                  await api(`/admin/keys/${encodeURIComponent(key.name)}`, { method: 'DELETE' });
                  await load();
                } catch (error) {
                  report(error);
                }
              } }, 'Revoke'))
            : null,
        ),
      );
    });
    replace(
      list,
      h('h2', {}, 'Stored keys'),
      keys.length === 0
        ? h('p', { class: 'muted' }, 'No stored keys yet. Keys written in the config file are not listed here.')
        : h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Status', 'Models', 'RPM / TPM', 'Spend / budget', 'Created', ''].map((title, index) => h('th', { scope: 'col', class: index === 5 ? 'hide-narrow' : null }, title)))), h('tbody', {}, rows)),
    );
  }

  await load();
}

function spendCell(budget, spent) {
  if (!spent) return h('span', { class: 'muted' }, budget ?? 'no budget');
  if (!budget) return h('span', {}, `${usd(spent.day)} today · ${usd(spent.month)} this month`);
  const match = /^\$?(\d+(?:\.\d+)?)\/(day|month)$/.exec(budget);
  const limit = match ? Number(match[1]) : 0;
  const used = match?.[2] === 'day' ? spent.day : spent.month;
  return h('div', {}, h('meter', { min: 0, max: limit, value: Math.min(used, limit), high: limit * 0.8, optimum: 0, 'aria-label': `${usd(used)} of ${budget}` }), ' ', `${usd(used)} of ${budget}`);
}

async function copy(secret, code, status) {
  try {
    await navigator.clipboard.writeText(secret);
    status.textContent = 'Copied.';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(code);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
  }
}
