// The checkout flow shared by the catalog and the credits screen: opens the provider's
// page in a new tab and waits until the purchase is paid, cancelled or too long.

import { api } from './api.js';
import { button, h, toast } from './ui.js';
import { messageOf } from './kit.js';

const POLL_MS = 1000;
const TIMEOUT_MS = 10 * 60 * 1000;
const CHANNEL = 'waqup-checkout';

/** What each final purchase status means for the buyer. */
const OUTCOMES = { paid: 'paid', cancelled: 'cancelled', expired: 'cancelled', refunded: 'failed' };

const RESULT_TOASTS = {
  paid: ['Payment received. Thank you!', 'ok'],
  cancelled: ['The payment was cancelled. Nothing was charged.', 'info'],
  failed: ['The payment did not go through.', 'error'],
  timeout: ['No word from the payment yet. If you paid, it will show up shortly.', 'info'],
};

/** Where the provider sends the buyer back to (the console's return page). */
export function returnUrls() {
  return {
    success_url: `${location.origin}/#/checkout/success`,
    cancel_url: `${location.origin}/#/checkout/cancelled`,
  };
}

/**
 * Runs a checkout: `startRequest` opens it on the server and answers `{checkout_url,
 * purchase_id}`. Resolves to 'paid', 'cancelled', 'failed' or 'timeout' (never rejects).
 */
export async function checkout(startRequest) {
  let started;
  try {
    started = await startRequest();
  } catch (error) {
    toast(messageOf(error), 'error');
    return 'failed';
  }
  const tab = window.open(started.checkout_url, '_blank');
  if (tab) {
    try { tab.opener = null; } catch { /* the tab has left our origin already */ }
  }
  const panel = waitPanel(started.checkout_url, !tab);
  document.body.append(panel.el);
  const result = await waitForPurchase(started.purchase_id, panel);
  panel.el.remove();
  toast(...RESULT_TOASTS[result]);
  return result;
}

/** The "Waiting for the payment…" panel, with a link to the checkout and a way out. */
function waitPanel(url, blocked) {
  const panel = { stop: null };
  panel.el = h('div', { class: 'checkout-wait', role: 'status', 'aria-live': 'polite' },
    h('p', { class: 'checkout-wait-title', text: 'Waiting for the payment…' }),
    h('p', { class: 'muted', text: blocked
      ? 'Your browser did not open the checkout. Open it with the link below.'
      : 'Finish the payment in the tab that opened. This updates by itself.' }),
    h('div', { class: 'actions' },
      h('a', { href: url, target: '_blank', rel: 'noopener', class: blocked ? 'primary' : null,
        text: blocked ? 'Open the checkout' : 'Open the checkout again' }),
      button('Stop waiting', async () => { if (panel.stop) panel.stop(); })));
  return panel;
}

/** The status of one purchase of the caller (among the newest ones), or null. */
async function purchaseStatus(purchaseId) {
  const answer = await api('/payments/purchases', { query: { limit: 50 } });
  const purchase = answer.purchases.find((p) => p.id === purchaseId);
  return purchase ? purchase.status : null;
}

/** Polls the purchase every second (at once when the return page says so) until it ends. */
function waitForPurchase(purchaseId, panel) {
  return new Promise((resolve) => {
    const deadline = Date.now() + TIMEOUT_MS;
    let timer = null;
    let busy = false;
    let again = false;
    let done = false;
    let cancelledHint = false;
    let failures = 0;
    let channel = null;

    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (channel) channel.close();
      resolve(result);
    };

    const check = async () => {
      if (done) return;
      if (busy) { again = true; return; }
      clearTimeout(timer);
      busy = true;
      try {
        const status = await purchaseStatus(purchaseId);
        failures = 0;
        if (OUTCOMES[status]) return finish(OUTCOMES[status]);
        // Stripe leaves a purchase pending when the buyer gives up: believe the return page.
        if (cancelledHint) return finish('cancelled');
      } catch (error) {
        if (error.status === 401 || error.status === 403) {
          toast(messageOf(error), 'error');
          return finish('failed');
        }
        failures += 1;
        if (failures === 5) toast(messageOf(error), 'error');
      } finally {
        busy = false;
      }
      if (Date.now() >= deadline) return finish('timeout');
      timer = setTimeout(check, again ? 0 : POLL_MS);
      again = false;
      return undefined;
    };

    try {
      channel = new BroadcastChannel(CHANNEL);
      channel.onmessage = (event) => {
        const status = String((event.data && event.data.status) || '');
        if (status.startsWith('cancel')) cancelledHint = true;
        check();
      };
    } catch {
      channel = null; // No BroadcastChannel: polling alone finds out.
    }
    panel.stop = () => finish('timeout');
    timer = setTimeout(check, POLL_MS);
  });
}
