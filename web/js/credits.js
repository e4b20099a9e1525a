// The credits screen: the balance, the credit packs on sale and the ledger.

import { api } from './api.js';
import { button, empty, field, h, mount, money, pager, screen, when } from './ui.js';
import { checkout, returnUrls } from './checkout.js';
import { attempt, failure, label, loading, select } from './kit.js';

const TYPES = [['', 'All'], ['grant', 'Gifts'], ['purchase', 'Purchases'], ['consumption', 'Spent'], ['refund', 'Refunds']];
const TYPE_NAMES = { grant: 'Gift', purchase: 'Bought', consumption: 'Spent', refund: 'Refund' };

export function render(root) {
  let alive = true;
  const balance = h('div', { class: 'card cred-summary' });
  const packs = h('div', { class: 'cred-packs' });
  const history = h('div', { class: 'cred-history' });
  const filter = { transaction_type: '', page: 1 };

  const isAlive = () => alive;
  const refresh = () => {
    loadBalance(balance, isAlive);
    filter.page = 1;
    loadHistory(history, filter, isAlive);
  };
  const buy = (pack) => attempt(async () => {
    await checkout(() => api('/credits/purchase', { method: 'POST', body: { pack_type: pack.pack_type, ...returnUrls() } }));
    if (alive) refresh();
  });

  const typeSelect = select('transaction_type', TYPES, filter.transaction_type);
  typeSelect.addEventListener('change', () => {
    filter.transaction_type = typeSelect.value;
    filter.page = 1;
    loadHistory(history, filter, isAlive);
  });

  mount(root, screen('Credits', null,
    balance,
    h('section', { class: 'cred-section', 'aria-labelledby': 'cred-buy-title' },
      h('h2', { id: 'cred-buy-title', text: 'Buy credits' }),
      h('p', { class: 'muted', text: 'Each new item costs credits. Replaying what you have is always free.' }),
      packs),
    h('section', { class: 'cred-section', 'aria-labelledby': 'cred-history-title' },
      h('h2', { id: 'cred-history-title', text: 'History' }),
      h('div', { class: 'cred-filter' }, field('Show', typeSelect)),
      history)));
  refresh();
  loadPacks(packs, buy, isAlive);
  return () => { alive = false; };
}

async function loadBalance(body, alive) {
  mount(body, loading());
  try {
    const answer = await api('/credits/balance');
    if (!alive()) return;
    mount(body,
      h('p', { class: 'cred-figure' }, h('span', { class: 'cred-balance', text: String(answer.balance) }),
        h('span', { text: answer.balance === 1 ? ' credit' : ' credits' })),
      answer.held
        ? h('p', { class: 'muted', text: `${answer.held} set aside for items being created · ${answer.available} available` })
        : null,
      answer.last_transaction_at ? h('p', { class: 'muted', text: `Last change ${when(answer.last_transaction_at)}` }) : null);
  } catch (error) {
    if (alive()) mount(body, failure(error, () => loadBalance(body, alive)));
  }
}

async function loadPacks(body, buy, alive) {
  mount(body, loading());
  try {
    const answer = await api('/credits/packs');
    if (!alive()) return;
    mount(body, answer.packs.length
      ? answer.packs.map((pack) => h('div', { class: 'card cred-pack', dataset: { pack: pack.pack_type } },
        h('h3', { text: label(pack.pack_type) }),
        h('p', { class: 'cred-pack-credits', text: `${pack.credits} credits` }),
        h('p', { class: 'muted', text: money(pack.price_amount, pack.currency) }),
        button(`Buy ${pack.credits} credits`, buy(pack), { class: 'primary' })))
      : empty('No credit packs are on sale right now.'));
  } catch (error) {
    if (alive()) mount(body, failure(error, () => loadPacks(body, buy, alive)));
  }
}

async function loadHistory(body, filter, alive) {
  mount(body, loading());
  try {
    const answer = await api('/credits/transactions', { query: filter });
    if (!alive()) return;
    mount(body, answer.transactions.length
      ? h('ul', { class: 'list cred-list' }, answer.transactions.map(transactionRow))
      : empty(filter.transaction_type ? 'No changes of this kind yet.' : 'No changes yet.'),
    pager(answer.pagination, (page) => { filter.page = page; loadHistory(body, filter, alive); }));
  } catch (error) {
    if (alive()) mount(body, failure(error, () => loadHistory(body, filter, alive)));
  }
}

function transactionRow(tx) {
  const amount = tx.amount > 0 ? `+${tx.amount}` : `−${Math.abs(tx.amount)}`;
  return h('li', { class: 'cred-tx', dataset: { id: tx.id } },
    h('div', { class: 'cred-tx-main' },
      h('span', { text: TYPE_NAMES[tx.type] || label(tx.type) }),
      h('strong', { class: tx.amount < 0 ? 'cred-minus' : 'cred-plus', text: amount })),
    h('p', { class: 'muted', text: [when(tx.created_at), tx.reason, `balance ${tx.balance_after}`].filter(Boolean).join(' · ') }));
}
