// The admin screen: crisis alerts to review, accounts to search, suspend and restore,
// and the audit log.

import { api, currentUser } from './api.js';
import { button, confirmButton, empty, field, h, mount, pager, screen, toast, when } from './ui.js';
import { attempt, failure, label, loading, select } from './kit.js';

const ALERT_STATUSES = [['pending', 'Pending'], ['reviewed', 'Reviewed'], ['escalated', 'Escalated'], ['resolved', 'Resolved'], ['', 'All']];
const REVIEWS = [['reviewed', 'Mark reviewed'], ['escalated', 'Escalate'], ['resolved', 'Resolve']];
const ROLES = [['', 'Any role'], ['user', 'User'], ['creator', 'Creator'], ['admin', 'Admin']];
const USER_STATUSES = [['', 'Any status'], ['active', 'Active'], ['suspended', 'Suspended']];

export function render(root) {
  let alive = true;
  const isAlive = () => alive;
  mount(root, screen('Admin', null,
    h('div', { class: 'admin-body' }, alertsSection(isAlive), usersSection(isAlive), auditSection(isAlive))));
  return () => { alive = false; };
}

/**
 * A titled section with filters above a paginated list: `fetch(filters)` answers the
 * list's JSON, `rows(answer)` draws it.
 */
function listSection({ className, title, filters, controls, fetch, rows, emptyText, alive }) {
  const list = h('div', { class: 'admin-list' });
  let sequence = 0;
  const load = async () => {
    const mine = ++sequence;
    mount(list, loading());
    try {
      const answer = await fetch(filters);
      if (!alive() || mine !== sequence) return;
      const drawn = rows(answer, load);
      mount(list, drawn.length ? h('ul', { class: 'list' }, drawn) : empty(emptyText),
        pager(answer.pagination, (page) => { filters.page = page; load(); }));
    } catch (error) {
      if (alive() && mine === sequence) mount(list, failure(error, load));
    }
  };
  const id = `${className}-title`;
  const form = h('form', { class: 'admin-filters', role: 'search', on: { submit: (event) => {
    event.preventDefault();
    filters.page = 1;
    load();
  } } }, controls(filters, () => { filters.page = 1; load(); }));
  load();
  return h('section', { class: `admin-section ${className}`, 'aria-labelledby': id },
    h('h2', { id, text: title }), form, list);
}

/** A select that writes its value into `filters[name]` and reloads. */
function filterSelect(filters, name, options, changed) {
  const el = select(name, options, filters[name]);
  el.addEventListener('change', () => { filters[name] = el.value; changed(); });
  return el;
}

/** A search box that writes its value into `filters[name]` (the form's submit reloads). */
function filterText(filters, name, props) {
  const el = h('input', { type: 'search', name, value: filters[name], ...props });
  el.addEventListener('input', () => { filters[name] = el.value.trim(); });
  return el;
}

// ---------------------------------------------------------------- crisis alerts

function alertsSection(alive) {
  return listSection({
    className: 'admin-alerts',
    title: 'Crisis alerts',
    filters: { status: 'pending', page: 1 },
    controls: (filters, changed) => field('Status', filterSelect(filters, 'status', ALERT_STATUSES, changed)),
    fetch: (filters) => api('/admin/crisis-alerts', { query: filters }),
    rows: (answer) => answer.alerts.map(alertRow),
    emptyText: 'No alerts here.',
    alive,
  });
}

function alertRow(alert) {
  const row = h('li', { class: 'admin-alert', dataset: { id: alert.id, status: alert.status } });
  const notes = h('textarea', { name: 'notes', rows: 2, maxLength: 4000, value: alert.resolution_notes || '' });
  const review = (status) => attempt(async () => {
    const body = { status };
    if (notes.value.trim()) body.notes = notes.value.trim();
    const updated = await api(`/admin/crisis-alerts/${alert.id}`, { method: 'PATCH', body });
    toast(`Alert ${label(updated.status).toLowerCase()}.`, 'ok');
    // The review's answer does not repeat the email the list gave.
    row.replaceWith(alertRow({ ...updated, user_email: alert.user_email }));
  });
  return mount(row,
    h('div', { class: 'admin-head' },
      h('span', { class: `badge admin-severity-${alert.severity}`, text: label(alert.severity) }),
      h('strong', { text: label(alert.trigger_type) }),
      h('span', { class: 'badge', text: label(alert.status) })),
    h('p', { class: 'admin-person', text: alert.user_email || `Account ${alert.user_id} (deleted)` }),
    h('p', { class: 'muted', text: when(alert.created_at) }),
    alert.signals.length ? h('p', { text: `Signals: ${alert.signals.map(label).join(', ')}` }) : null,
    alert.context ? h('blockquote', { class: 'admin-context', text: alert.context }) : null,
    alert.reviewed_at ? h('p', { class: 'muted', text: `Reviewed ${when(alert.reviewed_at)}${alert.resolution_notes ? `: ${alert.resolution_notes}` : ''}` }) : null,
    alert.status === 'resolved' ? null : h('div', { class: 'admin-review' },
      field('Notes', notes, 'What was done (optional)'),
      h('div', { class: 'actions' }, REVIEWS.filter(([status]) => status !== alert.status)
        .map(([status, text]) => button(text, review(status), { class: status === 'resolved' ? 'primary' : null })))));
}

// ---------------------------------------------------------------- users

function usersSection(alive) {
  return listSection({
    className: 'admin-users',
    title: 'Users',
    filters: { search: '', role: '', status: '', page: 1 },
    controls: (filters, changed) => [
      field('Email or name', filterText(filters, 'search', { maxLength: 100 })),
      field('Role', filterSelect(filters, 'role', ROLES, changed)),
      field('Status', filterSelect(filters, 'status', USER_STATUSES, changed)),
      h('button', { type: 'submit', class: 'primary', text: 'Search' }),
    ],
    fetch: (filters) => api('/admin/users', { query: filters }),
    rows: (answer) => answer.users.map(userRow),
    emptyText: 'No account matches.',
    alive,
  });
}

function userRow(user) {
  const row = h('li', { class: 'admin-user', dataset: { id: user.id, status: user.status } });
  const me = currentUser();
  const change = (action, message) => attempt(async () => {
    const updated = await api(`/admin/users/${user.id}/${action}`, { method: 'POST' });
    toast(message, 'ok');
    row.replaceWith(userRow(updated));
  });
  let action = null;
  if (user.status === 'suspended') action = button('Restore', change('restore', 'The account is restored.'));
  else if (!me || me.id !== user.id) {
    action = confirmButton('Suspend', 'Suspend this account? It is signed out at once.',
      change('suspend', 'The account is suspended.'), { class: 'danger' });
  }
  return mount(row,
    h('div', { class: 'admin-head' },
      h('strong', { class: 'admin-email', text: user.email }),
      h('span', { class: 'badge', text: label(user.role) }),
      user.status === 'suspended' ? h('span', { class: 'badge danger', text: 'Suspended' }) : null),
    h('p', { class: 'muted', text: [user.display_name, `${user.credit_balance} credits`, `joined ${when(user.created_at)}`].filter(Boolean).join(' · ') }),
    action ? h('div', { class: 'actions' }, action) : null);
}

// ---------------------------------------------------------------- audit log

function auditSection(alive) {
  return listSection({
    className: 'admin-audit',
    title: 'Audit log',
    filters: { action: '', page: 1 },
    controls: (filters) => [
      field('Action', filterText(filters, 'action', { placeholder: 'e.g. admin.user_suspended', maxLength: 100 })),
      h('button', { type: 'submit', text: 'Filter' }),
    ],
    fetch: (filters) => api('/admin/audit-log', { query: filters }),
    rows: (answer) => answer.entries.map(auditRow),
    emptyText: 'Nothing logged.',
    alive,
  });
}

function auditRow(entry) {
  const details = entry.details && Object.keys(entry.details).length ? JSON.stringify(entry.details) : null;
  const actor = entry.actor_id ? `${entry.actor_role || 'someone'} ${entry.actor_id}` : 'the system';
  const target = entry.target_type ? ` → ${entry.target_type} ${entry.target_id || ''}` : '';
  return h('li', { class: 'admin-entry', dataset: { id: entry.id } },
    h('div', { class: 'admin-head' }, h('strong', { text: entry.action }), h('span', { class: 'muted', text: when(entry.created_at) })),
    h('p', { class: 'muted', text: `${actor}${target}` }),
    details ? h('p', { class: 'admin-details', text: details }) : null);
}
