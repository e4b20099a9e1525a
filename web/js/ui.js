// Small DOM helpers. Elements are built from data, never from HTML strings, so text
// from the server can never become markup.

/**
 * Creates an element. `props`: `class`, `text`, `on` ({event: handler}), `dataset`,
 * any other key is set as a property when the element has it (value, checked,
 * disabled, href...) and as an attribute otherwise. Children may be strings, nodes,
 * arrays of them, or null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof el[key] !== 'function' && !key.startsWith('aria')) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const toasts = () => document.getElementById('toasts');

/** A short message at the bottom of the screen; `kind` is `info`, `ok` or `error`. */
export function toast(message, kind = 'info') {
  const item = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', text: message });
  toasts().append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** A labelled form field. */
export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label', text: label }), input,
    hint ? h('small', { class: 'hint', text: hint }) : null);
}

/** A button that runs `action`, disabled (and busy) while the action runs. */
export function button(label, action, props = {}) {
  const el = h('button', { type: 'button', ...props, text: label });
  el.addEventListener('click', async (event) => {
    if (el.disabled) return;
    el.disabled = true;
    el.setAttribute('aria-busy', 'true');
    try {
      await action(event);
    } finally {
      el.disabled = false;
      el.removeAttribute('aria-busy');
    }
  });
  return el;
}

/**
 * Asks inline before something that cannot be undone: the button turns into
 * "Sure? Yes / No" for a few seconds.
 */
export function confirmButton(label, question, action, props = {}) {
  const wrap = h('span', { class: 'confirm' });
  const start = h('button', { type: 'button', ...props, text: label });
  const ask = () => {
    const yes = button('Yes', async () => { await action(); reset(); }, { class: 'danger' });
    const no = h('button', { type: 'button', text: 'No', on: { click: reset } });
    mount(wrap, h('span', { class: 'confirm-question', text: question }), yes, no);
    yes.focus();
  };
  const reset = () => mount(wrap, start);
  start.addEventListener('click', ask);
  return mount(wrap, start);
}

/** "2:05" for 125 seconds. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A date and time in the reader's locale. */
export function when(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** An amount of money such as "4.99 USD". */
export function money(amount, currency) {
  const value = Number(amount);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: (currency || 'usd').toUpperCase() }).format(value);
  } catch {
    return `${value.toFixed(2)} ${(currency || '').toUpperCase()}`;
  }
}

/** Human words for an identifier such as `guided_meditation`. */
export function words(identifier) {
  return String(identifier || '').replace(/_/g, ' ');
}

/** A screen's heading and body, with an optional row of actions beside the heading. */
export function screen(title, actions, ...body) {
  return h('section', { class: 'screen' },
    h('header', { class: 'screen-head' }, h('h1', { text: title }), actions ? h('div', { class: 'actions' }, actions) : null),
    ...body);
}

/** "Previous / page x of y / Next" for a list answer's `pagination`. */
export function pager(pagination, go) {
  if (!pagination || pagination.pages <= 1) return null;
  const { page, pages } = pagination;
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', text: 'Previous', disabled: !pagination.has_prev, on: { click: () => go(page - 1) } }),
    h('span', { text: `Page ${page} of ${pages}` }),
    h('button', { type: 'button', text: 'Next', disabled: !pagination.has_next, on: { click: () => go(page + 1) } }));
}

/** A line saying a list is empty. */
export function empty(text) {
  return h('p', { class: 'empty', text });
}
