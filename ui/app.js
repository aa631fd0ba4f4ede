import { adminKey, setAdminKey } from './api.js';
import { replace } from './dom.js';
import { keysPage } from './pages/keys.js';
import { livePage } from './pages/live.js';
import { modelsPage } from './pages/models.js';
import { overviewPage } from './pages/overview.js';
import { playgroundPage } from './pages/playground.js';

const PAGES = { overview: overviewPage, keys: keysPage, models: modelsPage, live: livePage, playground: playgroundPage };
const TITLES = { overview: 'Overview', keys: 'Keys', models: 'Models and providers', live: 'Live requests', playground: 'Playground' };
const view = document.getElementById('view');
const notice = document.getElementById('notice');
let leave = () => {};

/** Shows an error for the page; a 401 or 403 opens the admin key dialog. */
export function report(error) {
  notice.textContent = error ? String(error.message ?? error) : '';
  if (error && (error.status === 401 || error.status === 403) && !adminKey()) openKeyDialog();
}

async function show() {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0] || 'overview';
  const page = PAGES[name] ?? overviewPage;
  const pageName = PAGES[name] ? name : 'overview';
  leave();
  leave = () => {};
  report(null);
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.page === pageName) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${TITLES[pageName]} · llmux`;
  replace(view);
  try {
    leave = (await page(view, { report })) ?? (() => {});
  } catch (error) {
    report(error);
  }
}

function openKeyDialog() {
  const dialog = document.getElementById('admin-key-dialog');
  if (!dialog.open) dialog.showModal();
}

document.getElementById('admin-key-form').addEventListener('submit', (event) => {
  const action = event.submitter?.value;
  const input = event.target.elements.key;
  if (action === 'save') setAdminKey(input.value.trim());
  if (action === 'forget') setAdminKey('');
  input.value = '';
  if (action !== 'cancel') void show();
});
document.getElementById('admin-key-button').addEventListener('click', openKeyDialog);

const root = document.documentElement;
const storedTheme = localStorage.getItem('llmux-theme');
root.dataset.theme = storedTheme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
document.getElementById('theme-button').addEventListener('click', () => {
  root.dataset.theme = root.dataset.theme === 'dark' ? 'light' : 'dark';
  localStorage.setItem('llmux-theme', root.dataset.theme);
});

window.addEventListener('hashchange', () => {
  void show().then(() => view.focus());
});
void show();
