// The console's entry point: the hash router, the navigation and the account corner.

import { currentUser, onAuthChange, signOut } from './api.js';
import { h, mount, toast } from './ui.js';
import * as auth from './auth.js';
import * as conversation from './conversation.js';
import * as library from './library.js';
import * as catalog from './catalog.js';
import * as credits from './credits.js';
import * as creator from './creator.js';
import * as admin from './admin.js';
import * as shared from './shared.js';

const SCREENS = {
  talk: { module: conversation, label: 'Talk' },
  library: { module: library, label: 'Library' },
  catalog: { module: catalog, label: 'Catalog' },
  credits: { module: credits, label: 'Credits' },
  creator: { module: creator, label: 'Create' },
  admin: { module: admin, label: 'Admin', role: 'admin' },
};

const main = document.getElementById('main');
let cleanup = null;

/** `#/catalog/abc` -> ['catalog', 'abc']. */
function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return parts.length ? parts : ['talk'];
}

function allowed(screen, user) {
  return !screen.role || (user && user.role === screen.role);
}

function renderNav(user) {
  const [current] = route();
  mount(document.getElementById('nav'), user
    ? Object.entries(SCREENS).filter(([, s]) => allowed(s, user)).map(([name, s]) =>
      h('a', { href: `#/${name}`, text: s.label, 'aria-current': name === current ? 'page' : null }))
    : null);
  mount(document.getElementById('account'), user
    ? [h('span', { class: 'account-email', text: user.email, title: user.email }),
      h('button', { type: 'button', class: 'link', text: 'Sign out', on: { click: () => signOut() } })]
    : null);
}

function render() {
  if (cleanup) {
    try { cleanup(); } finally { cleanup = null; }
  }
  const user = currentUser();
  const [name, ...params] = route();
  renderNav(user);
  mount(main);
  if (name === 'checkout') {
    checkoutReturn(params[0]);
    return;
  }
  if (name === 'shared') {
    // A share link works for anyone, signed in or not.
    cleanup = shared.render(main, params);
    return;
  }
  if (!user) {
    auth.render(main);
    return;
  }
  const screen = SCREENS[name];
  if (!screen || !allowed(screen, user)) {
    mount(main, h('section', { class: 'screen' }, h('h1', { text: 'Not found' }),
      h('p', {}, 'There is no such page. ', h('a', { href: '#/talk', text: 'Talk to the guide' }))));
    return;
  }
  const result = screen.module.render(main, params);
  if (typeof result === 'function') cleanup = result;
}

/**
 * Where a checkout tab lands after paying or cancelling: tells the console's tab
 * (which watches the purchase) and closes itself when the browser lets it.
 */
function checkoutReturn(status) {
  const paid = status === 'success';
  try {
    const channel = new BroadcastChannel('waqup-checkout');
    channel.postMessage({ status: paid ? 'success' : 'cancelled' });
    channel.close();
  } catch {
    // Older browsers: the console tab finds out by polling.
  }
  mount(main, h('section', { class: 'screen checkout-return' },
    h('h1', { text: paid ? 'Payment received' : 'Payment cancelled' }),
    h('p', { text: paid
      ? 'Thank you. You can close this tab and go back to waQup.'
      : 'Nothing was charged. You can close this tab and go back to waQup.' }),
    h('p', {}, h('a', { href: '#/library', text: 'Open waQup here' }))));
  setTimeout(() => window.close(), 1500);
}

onAuthChange((user) => {
  if (!user) conversation.reset();
  render();
});
window.addEventListener('hashchange', render);
window.addEventListener('unhandledrejection', (event) => {
  // Still reported in the console (so tests see it); the person gets a sentence.
  const reason = event.reason;
  toast((reason && reason.message) || 'Something went wrong.', 'error');
});
render();
