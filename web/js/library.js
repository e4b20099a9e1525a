// The library screen: the person's items (filter, play, rename, share, delete), one
// item's page, and the packs they bought.

import { api } from './api.js';
import { button, confirmButton, duration, empty, field, h, mount, pager, screen, toast, when } from './ui.js';
import { playItem } from './player.js';
import { attempt, copyButton, failure, label, loading, paragraphs, select, tagList } from './kit.js';

const TYPES = [['', 'All types'], ['affirmation', 'Affirmation'], ['guided_meditation', 'Guided meditation'], ['ritual', 'Ritual']];
const STATUSES = [['', 'Ready and generating'], ['ready', 'Ready'], ['generating', 'Generating'], ['failed', 'Failed']];
const SORTS = [['recent', 'Newest first'], ['last_played', 'Last played'], ['most_played', 'Most played'], ['title', 'Title A–Z']];
/** How often items being generated are checked again. */
const REFRESH_MS = 5000;
const SEARCH_DELAY_MS = 300;

export function render(root, params) {
  return params[0] ? renderItem(root, params[0]) : renderList(root);
}

// ---------------------------------------------------------------- the list

function renderList(root) {
  const filters = { content_type: '', status: '', q: '', sort: 'recent', page: 1 };
  const list = h('div', { class: 'lib-list' });
  const packs = h('div', { class: 'lib-packs-body' });
  let alive = true;
  let timer = null;
  let sequence = 0;

  const load = async ({ quiet = false } = {}) => {
    clearTimeout(timer);
    if (!alive) return;
    const mine = ++sequence;
    if (!quiet) mount(list, loading());
    try {
      const answer = await api('/content', { query: filters });
      if (alive && mine === sequence) showItems(answer, quiet);
    } catch (error) {
      if (alive && mine === sequence && !quiet) mount(list, failure(error, () => load()));
      else if (alive && mine === sequence) timer = setTimeout(() => load({ quiet: true }), REFRESH_MS);
    }
  };

  const showItems = (answer, quiet) => {
    const items = answer.content_items;
    if (quiet) {
      replaceFinished(list, items, () => load());
    } else if (!items.length) {
      mount(list, emptyLibrary(filters));
    } else {
      mount(list, h('ul', { class: 'list lib-items' }, items.map((item) => itemRow(item, () => load()))),
        pager(answer.pagination, (page) => { filters.page = page; load(); }));
    }
    if (items.some((item) => item.status === 'generating')) {
      timer = setTimeout(() => load({ quiet: true }), REFRESH_MS);
    }
  };

  const changed = () => { filters.page = 1; load(); };
  mount(root, screen('Library', h('a', { href: '#/talk', text: 'Create a new item' }),
    filterForm(filters, changed),
    list,
    h('section', { class: 'lib-packs', 'aria-labelledby': 'lib-packs-title' },
      h('h2', { id: 'lib-packs-title', text: 'Purchased packs' }), packs)));
  load();
  loadPacks(packs, () => alive);
  return () => { alive = false; clearTimeout(timer); };
}

function filterForm(filters, changed) {
  const search = h('input', { type: 'search', name: 'q', maxLength: 100, placeholder: 'Words in the title', value: filters.q });
  const onSelect = (key) => (event) => { filters[key] = event.target.value; changed(); };
  let delay = null;
  search.addEventListener('input', () => {
    clearTimeout(delay);
    delay = setTimeout(() => {
      if (filters.q === search.value.trim()) return;
      filters.q = search.value.trim();
      changed();
    }, SEARCH_DELAY_MS);
  });
  const typeSelect = select('content_type', TYPES, filters.content_type);
  const statusSelect = select('status', STATUSES, filters.status);
  const sortSelect = select('sort', SORTS, filters.sort);
  typeSelect.addEventListener('change', onSelect('content_type'));
  statusSelect.addEventListener('change', onSelect('status'));
  sortSelect.addEventListener('change', onSelect('sort'));
  return h('form', { class: 'lib-filters', role: 'search', on: { submit: (event) => {
    event.preventDefault();
    clearTimeout(delay);
    filters.q = search.value.trim();
    changed();
  } } },
  field('Search', search), field('Type', typeSelect), field('Status', statusSelect), field('Sort', sortSelect));
}

function emptyLibrary(filters) {
  if (filters.content_type || filters.status || filters.q) return empty('Nothing matches these filters.');
  return h('p', { class: 'empty' }, 'Your library is empty. ',
    h('a', { href: '#/talk', text: 'Talk to the guide' }), ' to create your first item.');
}

/** Swaps in the rows of items that finished generating since the list was drawn. */
function replaceFinished(list, items, onDeleted) {
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const row of list.querySelectorAll('.lib-item[data-status="generating"]')) {
    const item = byId.get(row.dataset.id);
    if (!item) row.remove(); // It no longer matches the filters.
    else if (item.status !== 'generating') row.replaceWith(itemRow(item, onDeleted));
  }
}

function itemRow(item, onDeleted) {
  const title = h('a', { class: 'lib-title', href: `#/library/${item.id}`, text: item.title || 'Untitled' });
  const slots = { player: h('div', { class: 'lib-slot' }), share: h('div', { class: 'lib-slot' }) };
  return h('li', { class: 'lib-item', dataset: { id: item.id, status: item.status } },
    h('div', { class: 'lib-head' }, title, statusBadge(item.status)),
    h('p', { class: 'lib-meta muted', text: summary(item) }),
    tagList(item.tags),
    itemActions(item, title, slots, onDeleted),
    slots.player, slots.share);
}

function summary(item) {
  const parts = [label(item.content_type), duration(item.duration)];
  if (item.folder) parts.push(`in ${item.folder}`);
  if (item.play_count) parts.push(`played ${item.play_count} ${item.play_count === 1 ? 'time' : 'times'}`);
  return parts.filter(Boolean).join(' · ');
}

function statusBadge(status) {
  if (status === 'generating') return h('span', { class: 'badge lib-generating', text: 'Generating…' });
  if (status === 'failed') return h('span', { class: 'badge danger', text: 'Failed' });
  return null;
}

/** Play, Rename, Share link and Delete, as far as the item's status allows them. */
function itemActions(item, title, slots, onDeleted) {
  const ready = item.status === 'ready';
  const hasAudio = item.has_audio !== undefined ? item.has_audio : Boolean(item.audio_url);
  return h('div', { class: 'actions lib-actions' },
    ready && hasAudio ? button('Play', attempt(() => playItem(item.id, slots.player, 'lib-player'))) : null,
    ready ? h('button', { type: 'button', text: 'Rename', on: { click: () => openRename(item, title) } }) : null,
    ready ? button('Share link', attempt(async () => {
      showShare(slots.share, item.id, await api(`/content/${item.id}/share`, { method: 'POST' }));
    })) : null,
    item.status !== 'generating' ? confirmButton('Delete', 'Delete this item for good?', attempt(async () => {
      await api(`/content/${item.id}`, { method: 'DELETE' });
      toast('Deleted.', 'ok');
      onDeleted();
    }), { class: 'danger' }) : null);
}

function openRename(item, title) {
  if (title.hidden) return;
  const input = h('input', { type: 'text', name: 'title', value: item.title || '', maxLength: 120, required: true, 'aria-label': 'New title' });
  const save = h('button', { type: 'submit', class: 'primary', text: 'Save' });
  const close = () => { form.remove(); title.hidden = false; };
  const form = h('form', { class: 'lib-rename', on: { submit: attempt(async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) { input.focus(); return; }
    save.disabled = true;
    try {
      const updated = await api(`/content/${item.id}`, { method: 'PATCH', body: { title: value } });
      item.title = updated.title;
      title.textContent = updated.title || 'Untitled';
      close();
      toast('Renamed.', 'ok');
    } finally {
      save.disabled = false;
    }
  }) } },
  input, save, h('button', { type: 'button', text: 'Cancel', on: { click: close } }));
  input.addEventListener('keydown', (event) => { if (event.key === 'Escape') close(); });
  title.hidden = true;
  title.after(form);
  input.focus();
  input.select();
}

/** The share link with Copy and Revoke (or nothing when `share` is null). */
function showShare(slot, id, share) {
  if (!share) { mount(slot); return; }
  const input = h('input', { type: 'url', name: 'share_url', readOnly: true, value: `${location.origin}/#/shared/${encodeURIComponent(share.token)}` });
  input.addEventListener('focus', () => input.select());
  mount(slot, h('div', { class: 'lib-share' },
    field('Share link', input, 'Anyone with this link can read and play this item.'),
    h('div', { class: 'actions' },
      copyButton(input),
      confirmButton('Revoke link', 'Stop this link working?', attempt(async () => {
        await api(`/content/${id}/share`, { method: 'DELETE' });
        mount(slot);
        toast('The link no longer works.', 'ok');
      })),
      h('button', { type: 'button', text: 'Hide', on: { click: () => mount(slot) } }))));
}

/** Completed pack purchases, each once, linking to the pack's page. */
async function loadPacks(body, alive) {
  mount(body, loading());
  try {
    const answer = await api('/payments/purchases', { query: { limit: 100 } });
    if (!alive()) return;
    const seen = new Set();
    const packs = answer.purchases.filter((p) => p.kind === 'pack' && p.status === 'paid' && p.pack_id
      && !seen.has(p.pack_id) && seen.add(p.pack_id));
    mount(body, packs.length
      ? h('ul', { class: 'list' }, packs.map((p) => h('li', { class: 'lib-pack', dataset: { id: p.pack_id } },
        h('a', { href: `#/catalog/${p.pack_id}`, text: p.pack_title || 'A pack' }),
        h('span', { class: 'muted', text: ` · ${p.subscription ? 'subscribed' : 'bought'} ${when(p.paid_at || p.created_at)}` }))))
      : h('p', { class: 'empty' }, 'No packs yet. ', h('a', { href: '#/catalog', text: 'Browse the catalog' }), '.'));
  } catch (error) {
    if (alive()) mount(body, failure(error, () => loadPacks(body, alive)));
  }
}

// ---------------------------------------------------------------- one item

function renderItem(root, id) {
  let alive = true;
  let timer = null;
  const back = h('p', { class: 'lib-back' }, h('a', { href: '#/library', text: '← Library' }));

  const load = async () => {
    clearTimeout(timer);
    try {
      const item = await api(`/content/${id}`);
      if (!alive) return;
      showItem(item);
      if (item.status === 'generating') timer = setTimeout(load, REFRESH_MS);
    } catch (error) {
      if (alive) mount(root, back, failure(error, load));
    }
  };

  const showItem = (item) => {
    const slots = { player: h('div', { class: 'lib-slot' }), share: h('div', { class: 'lib-slot' }) };
    const actions = h('div');
    const section = screen(item.title || 'Untitled', null,
      h('div', { class: 'lib-head' }, statusBadge(item.status)),
      h('p', { class: 'lib-meta muted', text: summary(item) }),
      h('p', { class: 'muted', text: `Created ${when(item.created_at)}${item.last_played_at ? ` · last played ${when(item.last_played_at)}` : ''}` }),
      tagList(item.tags),
      actions,
      slots.player, slots.share,
      item.content_text ? h('section', { class: 'lib-text', 'aria-labelledby': 'lib-text-title' },
        h('h2', { id: 'lib-text-title', text: 'Script' }), paragraphs(item.content_text)) : null);
    const heading = section.querySelector('h1');
    heading.classList.add('lib-title');
    actions.replaceWith(itemActions(item, heading, slots, () => { location.hash = '#/library'; }));
    mount(root, back, section);
  };

  mount(root, back, loading());
  load();
  return () => { alive = false; clearTimeout(timer); };
}
