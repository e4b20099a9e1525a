// The API client. Tokens live in memory only (never in storage a script could read
// later): the access token is refreshed shortly before it expires and whenever the
// server says it has; each refresh rotates the refresh token.

import { describe } from './errors.js';

/** An error answer of the API (the envelope's code and message), or a network failure. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(describe(code, message, details));
    this.status = status;
    this.code = code;
    this.serverMessage = message;
    this.details = details || null;
  }
}

let session = null; // { token, refreshToken, expiresAt, user }
let refreshing = null;
let refreshTimer = null;
const listeners = new Set();

/** Calls `fn(user)` when someone signs in or out (user is null then). */
export function onAuthChange(fn) {
  listeners.add(fn);
}

export function currentUser() {
  return session ? session.user : null;
}

/** A valid access token (refreshed first when about to expire), for the socket. */
export async function accessToken() {
  if (!session) throw new ApiError(401, 'UNAUTHORIZED');
  if (Date.now() > session.expiresAt - 30_000) await refresh();
  return session.token;
}

/** A sign-in's answer (register, login): the tokens and who signed in. */
function setSession(answer) {
  const previous = session && session.user;
  session = { user: answer.user };
  applyTokens(answer);
  if (!previous || previous.id !== answer.user.id || previous.role !== answer.user.role) {
    listeners.forEach((fn) => fn(session.user));
  }
}

/** A token pair (a sign-in's, or a refresh's). */
function applyTokens(pair) {
  session.token = pair.token;
  session.refreshToken = pair.refresh_token;
  session.expiresAt = Date.now() + pair.expires_in * 1000;
  clearTimeout(refreshTimer);
  // Refresh a minute before expiry so that an open page stays signed in.
  const inMs = Math.max(5_000, pair.expires_in * 1000 - 60_000);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), inMs);
}

function clearSession() {
  const had = session !== null;
  session = null;
  clearTimeout(refreshTimer);
  if (had) listeners.forEach((fn) => fn(null));
}

/**
 * Renews the sign-in now and reads the account again (after a role change, say): the
 * screens follow the new role at once.
 */
export async function refreshSession() {
  await refresh();
  const me = await api('/users/me');
  if (session && me.role !== session.user.role) {
    session.user = { ...session.user, role: me.role };
    listeners.forEach((fn) => fn(session.user));
  }
}

/** Rotates the refresh token; one refresh at a time however many callers ask. */
function refresh() {
  if (!session) return Promise.reject(new ApiError(401, 'UNAUTHORIZED'));
  if (!refreshing) {
    const refreshToken = session.refreshToken;
    refreshing = request('/api/v1/auth/refresh', { method: 'POST', body: { refresh_token: refreshToken }, auth: false })
      .then((pair) => { if (session) applyTokens(pair); })
      .catch((error) => {
        if (error.status === 401) clearSession();
        throw error;
      })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

export async function signIn(email, password) {
  setSession(await request('/api/v1/auth/login', { method: 'POST', body: { email, password }, auth: false }));
}

export async function register(email, password, displayName) {
  const body = { email, password };
  if (displayName) body.display_name = displayName;
  setSession(await request('/api/v1/auth/register', { method: 'POST', body, auth: false }));
}

export async function signOut() {
  if (session) {
    const refreshToken = session.refreshToken;
    await request('/api/v1/auth/logout', { method: 'POST', body: { refresh_token: refreshToken } }).catch(() => {});
  }
  clearSession();
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Calls the API: `api('/content', { query: {page: 2} })`, `api('/content/x', {
 * method: 'PATCH', body })`. Resolves to the JSON answer (null for 204); rejects with
 * an `ApiError`. Paths are under `/api/v1` unless they start with `/api` or `/sandbox`.
 */
export function api(path, options = {}) {
  const full = path.startsWith('/api/') ? path : `/api/v1${path}`;
  return request(full + query(options.query), options);
}

async function request(path, { method = 'GET', body, auth = true, retried = false } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (auth) {
    if (!session) throw new ApiError(401, 'UNAUTHORIZED');
    if (Date.now() > session.expiresAt - 10_000 && !retried) await refresh();
    headers.authorization = `Bearer ${session.token}`;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK');
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (response.ok) return data;
  const error = (data && data.error) || {};
  const code = error.code || `HTTP_${response.status}`;
  if (auth && !retried && (code === 'TOKEN_EXPIRED' || code === 'INVALID_TOKEN') && session) {
    await refresh();
    return request(path, { method, body, auth, retried: true });
  }
  if (auth && (code === 'INVALID_TOKEN' || code === 'ACCOUNT_SUSPENDED')) clearSession();
  const details = { ...(error.details || {}) };
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter && details.retry_after === undefined) details.retry_after = Number(retryAfter);
  throw new ApiError(response.status, code, error.message, details);
}
