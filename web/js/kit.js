// Small pieces shared by the library, catalog, credits, creator and admin screens.

import { h, money, toast, words } from './ui.js';

/** Wraps an action so that a failure shows as a toast instead of escaping as a rejection. */
export function attempt(action) {
  return async (...args) => {
    try {
      return await action(...args);
    } catch (error) {
      toast(messageOf(error), 'error');
      return undefined;
    }
  };
}

/** The sentence to show for any error. */
export function messageOf(error) {
  return (error && error.message) || 'Something went wrong. Please try again.';
}

/** A "Loading…" line. */
export function loading(text = 'Loading…') {
  return h('p', { class: 'muted', role: 'status', text });
}

/** An inline error, with a "Try again" button when `retry` is given. */
export function failure(error, retry) {
  return h('div', { class: 'kit-error', role: 'alert' },
    h('p', { text: messageOf(error) }),
    retry ? h('button', { type: 'button', text: 'Try again', on: { click: retry } }) : null);
}

/** A <select> from `[value, label]` pairs, with `value` selected. */
export function select(name, options, value = '') {
  const el = h('select', { name }, options.map(([v, label]) => h('option', { value: v, text: label })));
  el.value = value;
  return el;
}

/** "Guided meditation" for `guided_meditation`. */
export function label(identifier) {
  const text = words(identifier);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A pack's price in words: "Free", "$4.99", "$4.99 a month". */
export function priceText(pack) {
  if (pack.price_type === 'free') return 'Free';
  const amount = money(pack.price_amount, pack.currency);
  if (pack.price_type !== 'subscription') return amount;
  return `${amount} ${pack.subscription_interval === 'annual' ? 'a year' : 'a month'}`;
}

/** "★★★★☆" for a rating of 1 to 5, read out as "4 out of 5". */
export function stars(rating) {
  const full = Math.round(Number(rating) || 0);
  return h('span', { class: 'kit-stars', role: 'img', 'aria-label': `${full} out of 5`,
    text: '★'.repeat(full) + '☆'.repeat(5 - full) });
}

/** Tags as a row of small chips. */
export function tagList(tags) {
  if (!tags || !tags.length) return null;
  return h('ul', { class: 'kit-tags', 'aria-label': 'Tags' }, tags.map((tag) => h('li', { text: tag })));
}

/** Paragraphs of a long text (blank lines split them). */
export function paragraphs(text) {
  return String(text || '').split(/\n\s*\n/).filter((p) => p.trim()).map((p) => h('p', { text: p.trim() }));
}

/** A button that copies the value of `input`, or selects it when the clipboard is not available. */
export function copyButton(input) {
  return h('button', { type: 'button', text: 'Copy', on: { click: async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      toast('Copied.', 'ok');
    } catch {
      input.focus();
      input.select();
      toast('Press Ctrl+C (or ⌘C) to copy the selected link.');
    }
  } } });
}
