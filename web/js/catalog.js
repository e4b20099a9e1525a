// The catalog: search packs, recommendations, and a pack's page (items, buy, play,
// reviews).

import { api, currentUser } from './api.js';
import { button, duration, empty, field, h, mount, pager, screen, toast, when } from './ui.js';
import { playItem } from './player.js';
import { checkout, returnUrls } from './checkout.js';
import { attempt, failure, label, loading, paragraphs, priceText, select, stars, tagList } from './kit.js';

const PRICES = [['', 'Any price'], ['free', 'Free'], ['one_time', 'One-time purchase'], ['subscription', 'Subscription']];
const RATINGS = [['', 'Choose…'], ['5', '5 – excellent'], ['4', '4 – good'], ['3', '3 – fair'], ['2', '2 – poor'], ['1', '1 – bad']];

/** The last search, kept so that coming back from a pack shows the same results. */
const search = { search: '', price_type: '', page: 1 };

export function render(root, params) {
  return params[0] ? renderPack(root, params[0]) : renderSearch(root);
}

// ---------------------------------------------------------------- search

function renderSearch(root) {
  let alive = true;
  let sequence = 0;
  const results = h('div', { class: 'cat-results' });
  const recommendations = h('div');

  const load = async () => {
    const mine = ++sequence;
    mount(results, loading());
    try {
      const answer = await api('/catalog/packs', { query: search });
      if (!alive || mine !== sequence) return;
      mount(results, answer.packs.length
        ? h('ul', { class: 'list cat-packs' }, answer.packs.map(packRow))
        : empty(search.search || search.price_type ? 'No pack matches this search.' : 'The catalog is empty for now.'),
      pager(answer.pagination, (page) => { search.page = page; load(); }));
    } catch (error) {
      if (alive && mine === sequence) mount(results, failure(error, load));
    }
  };

  mount(root, screen('Catalog', null,
    searchForm(() => { search.page = 1; load(); }),
    h('section', { class: 'cat-section', 'aria-labelledby': 'cat-results-title' },
      h('h2', { id: 'cat-results-title', text: 'Packs' }), results),
    h('section', { class: 'cat-section cat-recs', 'aria-labelledby': 'cat-recs-title' },
      h('h2', { id: 'cat-recs-title', text: 'Recommended for you' }), recommendations)));
  load();
  loadRecommendations(recommendations, () => alive);
  return () => { alive = false; };
}

function searchForm(submit) {
  const input = h('input', { type: 'search', name: 'q', maxLength: 200, value: search.search, placeholder: 'e.g. sleep, morning focus' });
  const price = select('price_type', PRICES, search.price_type);
  price.addEventListener('change', () => { search.price_type = price.value; submit(); });
  return h('form', { class: 'cat-search', role: 'search', on: { submit: (event) => {
    event.preventDefault();
    search.search = input.value.trim();
    search.price_type = price.value;
    submit();
  } } },
  field('Search packs', input), field('Price', price),
  h('button', { type: 'submit', class: 'primary', text: 'Search' }));
}

function packRow(pack) {
  return h('li', { class: 'cat-pack', dataset: { id: pack.id } },
    h('div', { class: 'cat-head' },
      h('a', { class: 'cat-title', href: `#/catalog/${pack.id}`, text: pack.title }),
      h('span', { class: 'cat-price', text: priceText(pack) })),
    h('p', { class: 'muted', text: packFacts(pack) }),
    pack.description ? h('p', { class: 'cat-blurb', text: pack.description }) : null,
    tagList(pack.tags));
}

function packFacts(pack) {
  const parts = [`by ${(pack.creator && pack.creator.name) || 'a creator'}`,
    `${pack.ritual_count} ${pack.ritual_count === 1 ? 'item' : 'items'}`];
  parts.push(pack.review_count ? `${Number(pack.rating).toFixed(1)} ★ (${pack.review_count})` : 'no reviews yet');
  return parts.join(' · ');
}

async function loadRecommendations(body, alive) {
  mount(body, loading());
  try {
    const answer = await api('/catalog/recommendations');
    if (!alive()) return;
    const picks = answer.recommendations.slice(0, 5);
    mount(body, picks.length
      ? h('ul', { class: 'list' }, picks.map((r) => h('li', { class: 'cat-rec', dataset: { id: r.pack_id } },
        h('a', { href: `#/catalog/${r.pack_id}`, text: r.pack.title }),
        h('span', { class: 'muted', text: ` · ${priceText(r.pack)}` }),
        r.reason ? h('p', { class: 'muted', text: r.reason }) : null)))
      : empty('Practise and create a few items, and packs that suit you will show here.'));
  } catch (error) {
    if (alive()) mount(body, failure(error, () => loadRecommendations(body, alive)));
  }
}

// ---------------------------------------------------------------- one pack

function renderPack(root, id) {
  let alive = true;
  const back = h('p', { class: 'cat-back' }, h('a', { href: '#/catalog', text: '← Catalog' }));

  const load = async () => {
    try {
      const pack = await api(`/catalog/packs/${id}`);
      if (alive) mount(root, back, packPage(pack, load, () => alive));
    } catch (error) {
      if (alive) mount(root, back, failure(error, load));
    }
  };

  mount(root, back, loading());
  load();
  return () => { alive = false; };
}

function packPage(pack, reload, alive) {
  const user = currentUser();
  const mine = Boolean(user && pack.creator && pack.creator.id === user.id);
  return screen(pack.title, null,
    h('div', { class: 'cat-info' },
      h('p', { class: 'muted', text: packFacts(pack) }),
      h('p', { class: 'cat-price-line' }, h('strong', { text: priceText(pack) }),
        pack.status !== 'published' ? h('span', { class: 'badge', text: label(pack.status) }) : null),
      tagList(pack.tags),
      paragraphs(pack.description)),
    accessLine(pack, mine, reload, alive),
    h('section', { class: 'cat-section', 'aria-labelledby': 'cat-items-title' },
      h('h2', { id: 'cat-items-title', text: 'In this pack' }),
      pack.rituals.length
        ? h('ul', { class: 'list cat-items' }, pack.rituals.map((item) => itemRow(item, pack.user_has_access)))
        : empty('This pack has no items yet.')),
    reviewsSection(pack, Boolean(user) && pack.user_has_access && !mine));
}

/** Whether the person holds the pack, or the way to get it. */
function accessLine(pack, mine, reload, alive) {
  if (pack.user_has_access) {
    let text = 'You own this pack';
    if (mine) text = 'You made this pack';
    else if (pack.price_type === 'free') text = 'This pack is free to play';
    return h('p', { class: 'cat-owned', role: 'status', text });
  }
  if (!currentUser()) return h('p', { class: 'muted', text: 'Sign in to get this pack.' });
  if (pack.status !== 'published' || pack.price_type === 'free') {
    return h('p', { class: 'muted', text: 'This pack is not for sale.' });
  }
  return h('div', { class: 'actions cat-buy' },
    button(`Buy for ${priceText(pack)}`, attempt(async () => {
      const result = await checkout(() => api('/payments/checkout', {
        method: 'POST',
        body: { pack_id: pack.id, price_type: pack.price_type, ...returnUrls() },
      }));
      if (alive() && result !== 'cancelled') await reload();
    }), { class: 'primary' }));
}

function itemRow(item, canPlay) {
  const slot = h('div', { class: 'cat-slot' });
  return h('li', { class: 'cat-item', dataset: { id: item.id } },
    h('div', { class: 'cat-head' },
      h('span', { class: 'cat-item-title', text: item.title || 'Untitled' }),
      canPlay && item.audio_url ? button('Play', attempt(() => playItem(item.id, slot, 'cat-player'))) : null),
    h('p', { class: 'muted', text: [label(item.practice_type), duration(item.duration)].filter(Boolean).join(' · ') }),
    slot);
}

// ---------------------------------------------------------------- reviews

function reviewsSection(pack, canReview) {
  const list = h('div', { class: 'cat-reviews' });
  let page = 1;

  const load = async () => {
    mount(list, loading());
    try {
      const answer = await api(`/catalog/packs/${pack.id}/reviews`, { query: { page } });
      mount(list, answer.reviews.length
        ? h('ul', { class: 'list' }, answer.reviews.map(reviewRow))
        : empty('No reviews yet.'),
      pager(answer.pagination, (next) => { page = next; load(); }));
    } catch (error) {
      mount(list, failure(error, load));
    }
  };

  load();
  return h('section', { class: 'cat-section', 'aria-labelledby': 'cat-reviews-title' },
    h('h2', { id: 'cat-reviews-title', text: `Reviews${pack.review_count ? ` (${pack.review_count})` : ''}` }),
    canReview ? reviewForm(pack.id, () => { page = 1; load(); }) : null,
    list);
}

function reviewRow(review) {
  return h('li', { class: 'cat-review', dataset: { id: review.id } },
    h('div', { class: 'cat-head' }, stars(review.rating),
      h('span', { class: 'muted', text: `${(review.author && review.author.name) || 'A buyer'} · ${when(review.created_at)}` })),
    review.body ? paragraphs(review.body) : null);
}

function reviewForm(packId, posted) {
  const rating = select('rating', RATINGS);
  rating.required = true;
  const text = h('textarea', { name: 'body', rows: 3, maxLength: 2000, placeholder: 'What did this pack do for you?' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', text: 'Post review' });
  const form = h('form', { class: 'cat-review-form', on: { submit: async (event) => {
    event.preventDefault();
    problem.textContent = '';
    if (!rating.value) { problem.textContent = 'Choose a rating from 1 to 5.'; rating.focus(); return; }
    submit.disabled = true;
    try {
      const body = { rating: Number(rating.value) };
      if (text.value.trim()) body.body = text.value.trim();
      await api(`/catalog/packs/${packId}/reviews`, { method: 'POST', body });
      toast('Thank you for your review.', 'ok');
      form.replaceWith(h('p', { class: 'muted', text: 'You reviewed this pack.' }));
      posted();
    } catch (error) {
      problem.textContent = error.message;
    } finally {
      submit.disabled = false;
    }
  } } },
  h('h3', { text: 'Your review' }), field('Rating', rating), field('Review (optional)', text), problem, submit);
  return form;
}
