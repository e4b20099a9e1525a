// The creator screen: become a creator, then make packs of one's own ready items, edit,
// publish and archive them, and follow sales and earnings.

import { api, currentUser, refreshSession } from './api.js';
import { button, confirmButton, duration, empty, field, h, mount, money, pager, screen, toast, when } from './ui.js';
import { attempt, failure, label, loading, priceText, select } from './kit.js';

const PRICE_TYPES = [['free', 'Free'], ['one_time', 'One-time purchase'], ['subscription', 'Subscription']];
const INTERVALS = [['monthly', 'Monthly'], ['annual', 'Yearly']];
const MIN_PRICE = 0.5;

export function render(root) {
  let alive = true;
  const user = currentUser();
  const body = h('div', { class: 'creator-body' });
  const isAlive = () => alive;

  mount(root, screen('Creator', null, body));
  if (user.role !== 'user') {
    showDashboard(body, isAlive);
  } else {
    showJoin(body);
    // The role comes from the store: an administrator may have made them a creator since.
    // A refreshed sign-in carries the new role, and the router then shows the dashboard.
    api('/users/me')
      .then((me) => (alive && me.role !== 'user' ? refreshSession() : null))
      .catch(() => { /* the join card stays; joining reports its own errors */ });
  }
  return () => { alive = false; };
}

function showJoin(body) {
  mount(body, h('section', { class: 'card creator-join', 'aria-labelledby': 'creator-join-title' },
    h('h2', { id: 'creator-join-title', text: 'Become a creator' }),
    h('p', { text: 'Creators gather their finished items into packs, publish them in the catalog and earn a share of every sale.' }),
    button('Become a creator', attempt(async () => {
      await api('/creators/me', { method: 'POST' });
      toast('You are a creator now.', 'ok');
      // The new role is in the next sign-in token; the router redraws this screen.
      await refreshSession();
    }), { class: 'primary' })));
}

// ---------------------------------------------------------------- dashboard

function showDashboard(body, alive) {
  const summary = h('div', { class: 'creator-stack' });
  const packs = h('div');
  const create = h('div');
  const state = { page: 1 };

  const reloadPacks = () => {
    loadPacks(packs, state, alive, reloadPacks, () => loadSummary(summary, alive));
  };
  const created = () => {
    state.page = 1;
    reloadPacks();
    loadCreateForm(create, alive, created);
  };

  mount(body,
    section('creator-summary', 'Sales and earnings', summary),
    section('creator-packs', 'Your packs', packs),
    section('creator-new', 'New pack', create));
  loadSummary(summary, alive);
  reloadPacks();
  loadCreateForm(create, alive, created);
}

function section(className, title, content) {
  const id = `${className}-title`;
  return h('section', { class: `creator-section ${className}`, 'aria-labelledby': id }, h('h2', { id, text: title }), content);
}

async function loadSummary(body, alive) {
  mount(body, loading());
  try {
    const [analytics, earnings] = await Promise.all([api('/creators/me/analytics'), api('/creators/me/earnings')]);
    if (alive()) mount(body, summaryView(analytics, earnings));
  } catch (error) {
    if (alive()) mount(body, failure(error, () => loadSummary(body, alive)));
  }
}

function summaryView(analytics, earnings) {
  const currency = (earnings.totals[0] && earnings.totals[0].currency)
    || (earnings.rewards[0] && earnings.rewards[0].currency) || 'usd';
  const totals = earnings.totals.length
    ? earnings.totals.map((t) => money(t.amount, t.currency)).join(' + ')
    : money(0, currency);
  return [
    h('div', { class: 'creator-figures' },
      figure('Earned', totals), figure('Sales', analytics.total_sales), figure('Plays by others', analytics.total_plays)),
    h('p', { class: 'muted', text: `Your share of each sale: ${earnings.share_percent}%.` }),
    analytics.packs.length ? statsTable(analytics.packs, currency) : null,
    earnings.rewards.length ? h('div', {},
      h('h3', { text: 'Latest earnings' }),
      h('ul', { class: 'list creator-rewards' }, earnings.rewards.slice(0, 5).map((r) => h('li', {},
        h('span', { text: `${label(r.kind)} · ${when(r.created_at)}` }),
        h('strong', { text: money(r.amount, r.currency) }))))) : null,
  ];
}

function figure(name, value) {
  return h('div', { class: 'creator-figure' }, h('span', { class: 'muted', text: name }), h('strong', { text: String(value) }));
}

function statsTable(packs, currency) {
  return h('div', { class: 'creator-table-wrap' }, h('table', { class: 'creator-stats' },
    h('caption', { class: 'muted', text: 'Per pack' }),
    h('thead', {}, h('tr', {}, ['Pack', 'Sales', 'Plays', 'Earned'].map((name) => h('th', { scope: 'col', text: name })))),
    h('tbody', {}, packs.map((p) => h('tr', {},
      h('th', { scope: 'row', text: p.title }),
      h('td', { text: String(p.sales) }),
      h('td', { text: String(p.plays) }),
      h('td', { text: money(p.earnings_cents / 100, currency) }))))));
}

// ---------------------------------------------------------------- packs

async function loadPacks(body, state, alive, reload, changed) {
  mount(body, loading());
  try {
    const answer = await api('/creators/me/packs', { query: { page: state.page } });
    if (!alive()) return;
    mount(body, answer.packs.length
      ? h('ul', { class: 'list' }, answer.packs.map((pack) => packRow(pack, alive, reload, changed)))
      : empty('No packs yet. Make your first one below.'),
    pager(answer.pagination, (page) => { state.page = page; reload(); }));
  } catch (error) {
    if (alive()) mount(body, failure(error, reload));
  }
}

function packRow(pack, alive, reload, changed) {
  const row = h('li', { class: 'creator-pack', dataset: { id: pack.id, status: pack.status } });
  const setStatus = (action, message) => attempt(async () => {
    await api(`/creators/me/packs/${pack.id}/${action}`, { method: 'POST' });
    toast(message, 'ok');
    reload();
    changed();
  });
  const facts = [priceText(pack), `${pack.ritual_count} ${pack.ritual_count === 1 ? 'item' : 'items'}`];
  if (pack.review_count) facts.push(`${Number(pack.rating).toFixed(1)} ★ (${pack.review_count})`);
  return mount(row,
    h('div', { class: 'creator-head' },
      h('a', { href: `#/catalog/${pack.id}`, text: pack.title }),
      h('span', { class: `badge creator-${pack.status}`, text: label(pack.status) })),
    h('p', { class: 'muted', text: facts.join(' · ') }),
    pack.status === 'archived' ? null : h('div', { class: 'actions' },
      pack.status === 'draft' ? button('Publish', setStatus('publish', 'Published: the pack is in the catalog now.'), { class: 'primary' }) : null,
      button('Edit', attempt(() => openEdit(row, pack, alive, reload))),
      confirmButton('Archive', 'Take it out of the catalog for good? Buyers keep it.',
        setStatus('archive', 'Archived.'), { class: 'danger' })));
}

async function openEdit(row, pack, alive, reload) {
  const [detail, ready] = await Promise.all([api(`/catalog/packs/${pack.id}`), readyItems()]);
  if (!alive()) return;
  const chosen = detail.rituals.map((item) => item.id);
  const extra = detail.rituals.filter((item) => !ready.some((r) => r.id === item.id))
    .map((item) => ({ ...item, content_type: item.practice_type }));
  mount(row, h('h3', { text: `Edit “${pack.title}”` }), packForm({
    className: 'creator-edit-form',
    pack,
    chosen,
    items: [...extra, ...ready],
    submitLabel: 'Save changes',
    save: async (body) => {
      await api(`/creators/me/packs/${pack.id}`, { method: 'PATCH', body });
      toast('Saved.', 'ok');
      reload();
    },
    cancel: reload,
  }));
  row.querySelector('input[name="title"]').focus();
}

// ---------------------------------------------------------------- the form

/** The creator's ready items (the newest hundred), to choose a pack's items from. */
async function readyItems() {
  const answer = await api('/content', { query: { status: 'ready', limit: 100 } });
  return answer.content_items;
}

async function loadCreateForm(body, alive, created) {
  mount(body, loading());
  try {
    const items = await readyItems();
    if (!alive()) return;
    mount(body, packForm({
      className: 'creator-form',
      items,
      submitLabel: 'Create pack',
      save: async (request) => {
        await api('/creators/me/packs', { method: 'POST', body: request });
        toast('Pack created as a draft. Publish it when it is ready.', 'ok');
        created();
      },
    }));
  } catch (error) {
    if (alive()) mount(body, failure(error, () => loadCreateForm(body, alive, created)));
  }
}

/**
 * The pack form. `save(body)` sends it (its failure shows in the form); `cancel`, when
 * given, adds a Cancel button.
 */
function packForm({ className, pack = null, chosen = [], items, submitLabel, save, cancel }) {
  const title = h('input', { type: 'text', name: 'title', required: true, maxLength: 120, value: pack ? pack.title : '' });
  const description = h('textarea', { name: 'description', rows: 4, maxLength: 4000, value: pack ? pack.description : '' });
  const priceType = select('price_type', PRICE_TYPES, pack ? pack.price_type : 'one_time');
  const amount = h('input', { type: 'number', name: 'price_amount', min: '0', step: '0.01', inputMode: 'decimal',
    value: pack && pack.price_type !== 'free' ? String(pack.price_amount) : '' });
  const interval = select('subscription_interval', INTERVALS, (pack && pack.subscription_interval) || 'monthly');
  const tags = h('input', { type: 'text', name: 'tags', value: pack ? pack.tags.join(', ') : '', placeholder: 'sleep, calm' });
  const amountField = field('Price', amount, `At least ${MIN_PRICE.toFixed(2)}`);
  const intervalField = field('Renews', interval);
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', text: submitLabel });

  const showPrice = () => {
    amountField.hidden = priceType.value === 'free';
    intervalField.hidden = priceType.value !== 'subscription';
  };
  priceType.addEventListener('change', showPrice);
  showPrice();

  const form = h('form', { class: className, on: { submit: async (event) => {
    event.preventDefault();
    problem.textContent = '';
    const body = collect();
    if (!body) return;
    submit.disabled = true;
    try {
      await save(body);
    } catch (error) {
      problem.textContent = error.message;
    } finally {
      submit.disabled = false;
    }
  } } });

  const collect = () => {
    const type = priceType.value;
    const price = type === 'free' ? 0 : Number(amount.value);
    if (type !== 'free' && (amount.value === '' || !(price >= MIN_PRICE))) {
      problem.textContent = `Enter a price of at least ${MIN_PRICE.toFixed(2)}, or make the pack free.`;
      amount.focus();
      return null;
    }
    const picked = [...form.querySelectorAll('input[name="item"]:checked')].map((box) => box.value);
    // Items already in the pack keep their order; new ones follow.
    const rank = (id) => (chosen.includes(id) ? chosen.indexOf(id) : chosen.length);
    picked.sort((a, b) => rank(a) - rank(b));
    const body = {
      title: title.value.trim(),
      description: description.value.trim(),
      price_type: type,
      price_amount: price,
      tags: tags.value.split(',').map((tag) => tag.trim()).filter(Boolean),
      item_ids: picked,
    };
    if (type === 'subscription') body.subscription_interval = interval.value;
    return body;
  };

  return mount(form,
    field('Title', title),
    field('Description', description),
    field('Price type', priceType),
    amountField,
    intervalField,
    field('Tags', tags, 'Separated by commas'),
    itemChecklist(items, chosen),
    problem,
    h('div', { class: 'actions' }, submit,
      cancel ? h('button', { type: 'button', text: 'Cancel', on: { click: cancel } }) : null));
}

function itemChecklist(items, chosen) {
  return h('fieldset', { class: 'creator-items' },
    h('legend', { text: 'Items in the pack' }),
    items.length
      ? items.map((item) => h('label', { class: 'creator-item' },
        h('input', { type: 'checkbox', name: 'item', value: item.id, checked: chosen.includes(item.id) }),
        h('span', { text: item.title || 'Untitled' }),
        h('small', { class: 'muted', text: [label(item.content_type), duration(item.duration)].filter(Boolean).join(' · ') })))
      : h('p', { class: 'empty' }, 'You have no finished items yet. ',
        h('a', { href: '#/talk', text: 'Create one with the guide' }), ' first.'));
}
