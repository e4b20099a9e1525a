// The conversation screen: the dialogue with the guide over the WebSocket
// (docs/protocol.md). The conversation belongs to the tab, not to the screen: leaving
// the screen keeps it going, and a dropped socket reconnects and resumes it.

import { accessToken, api } from './api.js';
import { describe } from './errors.js';
import { practicePlayer } from './player.js';
import { button, duration, h, mount, toast, words } from './ui.js';

const TYPES = [
  { id: 'affirmation', label: 'Affirmation', cost: 1, blurb: 'A few strong lines to carry with you.' },
  { id: 'guided_meditation', label: 'Guided meditation', cost: 2, blurb: 'A spoken meditation for a time and a length you choose.' },
  { id: 'ritual', label: 'Ritual', cost: 3, blurb: 'A practice shaped around your situation.' },
];

const STEP_LABELS = {
  Greeting: 'Hello',
  IntentDiscovery: 'Intention',
  ContextGathering: 'Situation',
  PracticeDetails: 'Details',
  Personalization: 'Voice',
  Confirmation: 'Summary',
  Generating: 'Creating',
  Complete: 'Ready',
};

/** The states each content type passes through (what it asks about). */
const PATHS = {
  affirmation: ['Greeting', 'IntentDiscovery', 'Confirmation', 'Generating', 'Complete'],
  guided_meditation: ['Greeting', 'IntentDiscovery', 'PracticeDetails', 'Personalization', 'Confirmation', 'Generating', 'Complete'],
  ritual: ['Greeting', 'IntentDiscovery', 'ContextGathering', 'PracticeDetails', 'Personalization', 'Confirmation', 'Generating', 'Complete'],
};

const ENDED = new Set(['Complete', 'Cancelled', 'Failed']);

const SLOTS = [
  ['intent', 'What it is for'],
  ['context', 'Your situation'],
  ['time_of_day', 'Time of day'],
  ['duration', 'Length'],
  ['voice', 'Voice'],
  ['pace', 'Pace'],
  ['tone', 'Tone'],
  ['name', 'Name'],
];

const STAGES = { queued: 'Starting', text: 'Writing', audio: 'Voicing', upload: 'Saving', capture: 'Finishing' };

/** Socket close codes after which reconnecting would be wrong. */
const CLOSE_SUPERSEDED = 4001;
const CLOSE_ACCOUNT_BLOCKED = 4003;

const PING_EVERY_MS = 15_000;
const SILENCE_LIMIT_MS = 35_000;
const MAX_QUEUED = 20;

const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;

function fresh() {
  return {
    socket: null,
    status: 'idle', // idle | connecting | open | reconnecting | closed
    ready: false, // the socket is attached to the conversation (or may start one)
    attempts: 0,
    reconnectTimer: null,
    pingTimer: null,
    lastHeard: 0,
    queue: [],
    starting: null, // the start frame waiting for a socket
    awaiting: null, // the message not answered yet: { content, before: messages said before it }
    sessionId: null,
    contentType: null,
    state: null,
    context: {},
    messages: [],
    draft: '',
    generation: null,
    item: null,
    failure: null,
    safety: null,
    notice: null,
    speak: false,
    replyAudio: null, // the clip being received: { format, seq, chunks }
    voiced: false, // the reply in flight came with server audio
    clips: [], // clips received, waiting their turn to play
    player: null,
  };
}

let conv = fresh();
let view = null;

/** Forgets the conversation (on sign-out). */
export function reset() {
  const socket = conv.socket;
  clearTimeout(conv.reconnectTimer);
  clearInterval(conv.pingTimer);
  stopSpeaking();
  conv = fresh();
  if (socket) socket.close(1000, 'signed out');
}

// ---- the socket ---------------------------------------------------------------------

async function connect() {
  if (conv.socket) return;
  clearTimeout(conv.reconnectTimer);
  setStatus(conv.attempts ? 'reconnecting' : 'connecting');
  let token;
  try {
    token = await accessToken();
  } catch (error) {
    if (error.status === 401) return; // signed out: the router shows the sign-in screen
    scheduleReconnect();
    return;
  }
  const mine = conv;
  if (mine.socket) return;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws/conversation?token=${encodeURIComponent(token)}`);
  socket.binaryType = 'arraybuffer';
  mine.socket = socket;
  mine.ready = false;
  socket.addEventListener('open', () => {
    if (conv !== mine) return;
    conv.lastHeard = Date.now();
    conv.attempts = 0;
    setStatus('open');
    if (conv.sessionId) socket.send(JSON.stringify({ type: 'resume', session_id: conv.sessionId }));
    else if (conv.starting) socket.send(JSON.stringify(conv.starting));
    else conv.ready = true;
    clearInterval(conv.pingTimer);
    conv.pingTimer = setInterval(heartbeat, PING_EVERY_MS);
  });
  listen(socket);
}

/** Routes a socket's frames and its close to the current conversation state. */
function listen(socket) {
  const mine = conv;
  socket.addEventListener('message', (event) => {
    if (conv !== mine) return;
    conv.lastHeard = Date.now();
    if (typeof event.data === 'string') onFrame(JSON.parse(event.data));
    else onAudio(event.data);
  });
  socket.addEventListener('close', (event) => onClose(mine, socket, event));
}

function heartbeat() {
  if (!conv.socket || conv.socket.readyState !== WebSocket.OPEN) return;
  if (Date.now() - conv.lastHeard > SILENCE_LIMIT_MS) {
    // A connection that went quiet (a network that vanished without a close).
    conv.socket.close(4000, 'silent');
    return;
  }
  conv.socket.send(JSON.stringify({ type: 'ping' }));
}

function onClose(mine, socket, event) {
  if (conv !== mine || mine.socket !== socket) return;
  conv.socket = null;
  conv.ready = false;
  clearInterval(conv.pingTimer);
  if (event.code === CLOSE_SUPERSEDED) {
    conv.notice = describe('SOCKET_REPLACED');
    setStatus('closed');
    return;
  }
  if (event.code === CLOSE_ACCOUNT_BLOCKED) {
    conv.notice = describe('ACCOUNT_SUSPENDED');
    setStatus('closed');
    return;
  }
  scheduleReconnect();
}

function scheduleReconnect() {
  conv.attempts += 1;
  setStatus('reconnecting');
  const base = Math.min(10_000, 500 * 2 ** Math.min(conv.attempts - 1, 5));
  clearTimeout(conv.reconnectTimer);
  conv.reconnectTimer = setTimeout(connect, base / 2 + Math.random() * base / 2);
}

/** Sends a frame now, or once the socket is back and the conversation resumed. */
function send(frame) {
  if (conv.socket && conv.ready && conv.socket.readyState === WebSocket.OPEN) {
    conv.socket.send(JSON.stringify(frame));
    return;
  }
  if (conv.queue.length >= MAX_QUEUED) {
    toast('Still reconnecting; please wait a moment.', 'error');
    return;
  }
  conv.queue.push(frame);
  if (!conv.socket) connect();
}

function flush() {
  conv.ready = true;
  const queued = conv.queue.splice(0);
  for (const frame of queued) send({ ...frame, session_id: conv.sessionId });
}

// ---- frames from the server -------------------------------------------------------

function onFrame(frame) {
  switch (frame.type) {
    case 'started':
      conv.starting = null;
      conv.sessionId = frame.session_id;
      conv.contentType = frame.content_type;
      conv.state = frame.state;
      flush();
      break;
    case 'resumed':
      onResumed(frame);
      break;
    case 'response_delta':
      conv.draft += frame.delta;
      renderDraft();
      return;
    case 'response':
      conv.draft = '';
      conv.awaiting = null;
      conv.messages.push({ role: 'assistant', content: frame.content, interrupted: frame.interrupted });
      conv.state = frame.state;
      conv.context = frame.context || conv.context;
      if (frame.interrupted) stopSpeaking();
      else if (conv.speak && !conv.voiced) speakText(frame.content);
      conv.voiced = false;
      break;
    case 'state_changed':
      conv.state = frame.to;
      break;
    case 'generation_started':
      conv.generation = { contentId: frame.content_id, stage: 'queued', percent: 0, estimated: frame.estimated_time };
      conv.failure = null;
      break;
    case 'generation_progress':
      conv.generation = { ...(conv.generation || {}), stage: frame.stage, percent: frame.percent };
      break;
    case 'generation_complete':
      conv.generation = { ...(conv.generation || {}), stage: 'done', percent: 100 };
      conv.item = frame.content;
      break;
    case 'generation_failed':
      conv.failure = { code: frame.code, message: frame.message, refunded: frame.refunded };
      break;
    case 'safety':
      conv.safety = { level: frame.level, resources: frame.resources || [] };
      break;
    case 'crisis_alert':
      toast('A new crisis alert needs review (Admin screen).', 'error');
      return;
    case 'reply_audio':
      conv.replyAudio = { format: frame.format, seq: frame.seq, chunks: [] };
      conv.voiced = true;
      return;
    case 'reply_audio_end':
      queueReplyAudio(frame.seq);
      return;
    case 'error':
      onError(frame);
      break;
    case 'pong':
      return;
    default:
      return; // a frame this page does not know yet
  }
  update();
}

function onResumed(frame) {
  conv.sessionId = frame.session_id;
  conv.contentType = frame.content_type;
  conv.state = frame.state;
  conv.context = frame.context || {};
  conv.messages = (frame.messages || []).map((m) => ({ role: m.role, content: m.content }));
  conv.draft = '';
  if (frame.content_id && !conv.generation) conv.generation = { contentId: frame.content_id, stage: 'queued', percent: 0 };
  // A message sent around the drop: say it again unless the guide heard it.
  const awaiting = conv.awaiting;
  if (awaiting && userMessages() <= awaiting.before) {
    conv.messages.push({ role: 'user', content: awaiting.content });
    const queued = conv.queue.some((f) => f.type === 'message' && f.content === awaiting.content);
    if (!queued) conv.queue.push({ type: 'message', content: awaiting.content });
  } else {
    conv.awaiting = null;
  }
  flush();
  if (conv.state === 'Complete' && !conv.item && frame.content_id) loadItem(frame.content_id);
}

function userMessages() {
  return conv.messages.filter((m) => m.role === 'user').length;
}

async function loadItem(id) {
  try {
    conv.item = await api(`/content/${id}`);
    update();
  } catch (error) {
    toast(error.message, 'error');
  }
}

function onError(frame) {
  const code = frame.code;
  if (code === 'VOICE_UNAVAILABLE' || code === 'REPLY_AUDIO_FAILED') {
    // The reply still comes, in words.
    toast(describe(code, frame.message));
    return;
  }
  if (code === 'SESSION_EXPIRED' || code === 'SESSION_NOT_FOUND') {
    // The conversation is gone: keep what was said on screen, offer a new one.
    conv.sessionId = null;
    conv.state = 'Expired';
    conv.queue = [];
    conv.awaiting = null;
    conv.ready = true;
  }
  if (code === 'SESSION_LIMIT' && conv.starting) conv.starting = null;
  if (code === 'SESSION_MISMATCH' || code === 'NO_SESSION') {
    if (conv.sessionId && conv.socket) conv.socket.send(JSON.stringify({ type: 'resume', session_id: conv.sessionId }));
  }
  if (frame.session_id === undefined || frame.session_id === conv.sessionId) conv.awaiting = null;
  conv.notice = describe(code, frame.message);
  toast(conv.notice, 'error');
}

// ---- spoken replies ---------------------------------------------------------------

function onAudio(data) {
  if (conv.replyAudio) conv.replyAudio.chunks.push(data);
}

/** A reply comes one sentence (clip) at a time: each plays after the one before. */
function queueReplyAudio(seq) {
  const reply = conv.replyAudio;
  conv.replyAudio = null;
  if (!reply || reply.seq !== seq || !reply.chunks.length) return;
  const type = { mp3: 'audio/mpeg', ogg: 'audio/ogg', wav: 'audio/wav', opus: 'audio/ogg' }[reply.format] || 'audio/mpeg';
  conv.clips.push(URL.createObjectURL(new Blob(reply.chunks, { type })));
  if (!conv.player) playNextClip();
  update();
}

function playNextClip() {
  const url = conv.clips.shift();
  conv.player = null;
  if (!url) {
    update();
    return;
  }
  const audio = new Audio(url);
  conv.player = audio;
  const next = () => {
    URL.revokeObjectURL(url);
    if (conv.player === audio) playNextClip();
  };
  audio.addEventListener('ended', next);
  audio.addEventListener('error', next);
  audio.play().catch(next);
}

function speakText(text) {
  if (!('speechSynthesis' in window)) return;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(new SpeechSynthesisUtterance(text.replace(/\[pause[^\]]*\]/g, ' ')));
}

function stopSpeaking() {
  if (conv.player) {
    conv.player.pause();
    conv.player = null;
  }
  conv.clips.splice(0).forEach((url) => URL.revokeObjectURL(url));
  conv.replyAudio = null;
  if ('speechSynthesis' in window) window.speechSynthesis.cancel();
}

// ---- what the person does ---------------------------------------------------------

function start(contentType) {
  stopSpeaking();
  const speak = conv.speak;
  const old = conv.socket;
  const keep = { socket: old, ready: false, pingTimer: conv.pingTimer, lastHeard: conv.lastHeard };
  clearTimeout(conv.reconnectTimer);
  conv = { ...fresh(), ...keep, status: old ? 'open' : 'idle', speak, contentType };
  conv.starting = { type: 'start', content_type: contentType, speak: speak || undefined };
  if (old && old.readyState === WebSocket.OPEN) {
    conv.socket.send(JSON.stringify(conv.starting));
    // The listeners of the open socket belong to the previous state object.
    listen(old);
  } else {
    if (old) old.close(1000, 'new conversation');
    conv.socket = null;
    connect();
  }
  update();
}

function say(text) {
  const content = text.trim();
  if (!content || !conv.sessionId) return false;
  if (content.length > 4000) {
    toast(describe('MESSAGE_TOO_LONG'), 'error');
    return false;
  }
  stopSpeaking();
  if (conv.draft) send({ type: 'interrupt', session_id: conv.sessionId });
  conv.awaiting = { content, before: userMessages() };
  conv.messages.push({ role: 'user', content });
  send({ type: 'message', session_id: conv.sessionId, content });
  update();
  return true;
}

function act(type, extra = {}) {
  if (!conv.sessionId) return;
  send({ type, session_id: conv.sessionId, ...extra });
}

function setSpeak(on) {
  conv.speak = on;
  if (!on) stopSpeaking();
  if (conv.sessionId) act('voice', { speak: on });
}

// ---- the view ---------------------------------------------------------------------

export function render(root) {
  const status = h('span', { class: 'talk-status', role: 'status' });
  const steps = h('ol', { class: 'talk-steps', 'aria-label': 'Progress' });
  const log = h('div', { class: 'talk-log', 'aria-live': 'polite' });
  const draft = h('div', { class: 'msg msg-assistant msg-draft', hidden: true });
  const panel = h('div', { class: 'talk-panel' });
  const picker = h('div', { class: 'talk-picker' });
  const composer = renderComposer();
  const body = h('div', { class: 'talk-body' }, log, draft, panel, composer.form);
  const heading = h('h1', { text: 'Talk' });

  root.append(h('section', { class: 'screen talk' },
    h('header', { class: 'screen-head' }, heading, status), steps, picker, body));

  view = { root, status, steps, log, draft, panel, picker, body, heading, composer };
  update();
  if (!conv.socket && conv.status !== 'closed') connect();
  return () => { view = null; };
}

function renderComposer() {
  const input = h('textarea', { name: 'message', rows: 2, maxLength: 4000, placeholder: 'Say what you need…', 'aria-label': 'Your message' });
  const sendButton = h('button', { type: 'submit', class: 'primary', text: 'Send' });
  const stop = h('button', { type: 'button', class: 'talk-stop', text: 'Stop', hidden: true, on: {
    click: () => { stopSpeaking(); act('interrupt'); update(); },
  } });
  const form = h('form', { class: 'talk-composer' }, input,
    h('div', { class: 'talk-tools' }, micButton(input), speakToggle(), stop, sendButton));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (say(input.value)) input.value = '';
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  return { form, input, sendButton, stop };
}

/** Talking instead of typing, where the browser recognises speech. */
function micButton(input) {
  if (!Recognition) return null;
  const mic = h('button', { type: 'button', class: 'talk-mic', text: 'Speak', 'aria-pressed': 'false' });
  let recognition = null;
  mic.addEventListener('click', () => {
    if (recognition) {
      recognition.stop();
      return;
    }
    stopSpeaking();
    recognition = new Recognition();
    recognition.lang = navigator.language || 'en-US';
    recognition.interimResults = true;
    recognition.addEventListener('result', (event) => {
      const result = event.results[event.results.length - 1];
      input.value = result[0].transcript;
      if (result.isFinal && say(input.value)) input.value = '';
    });
    recognition.addEventListener('error', (event) => {
      const why = {
        'not-allowed': 'Microphone access was refused. Allow it in the browser, or type instead.',
        'no-speech': 'I did not hear anything. Try again, or type instead.',
        network: 'Speech recognition needs a connection. Please type instead.',
        'audio-capture': 'No microphone was found. Please type instead.',
      }[event.error];
      if (why) toast(why, 'error');
    });
    recognition.addEventListener('end', () => {
      recognition = null;
      mic.setAttribute('aria-pressed', 'false');
      mic.textContent = 'Speak';
    });
    recognition.start();
    mic.setAttribute('aria-pressed', 'true');
    mic.textContent = 'Listening…';
  });
  return mic;
}

function speakToggle() {
  if (!('speechSynthesis' in window) && !('Audio' in window)) return null;
  const box = h('input', { type: 'checkbox', name: 'speak', checked: conv.speak });
  box.addEventListener('change', () => setSpeak(box.checked));
  return h('label', { class: 'talk-speak' }, box, ' Speak replies');
}

function setStatus(status) {
  conv.status = status;
  if (view) renderStatus();
}

function renderStatus() {
  const text = {
    idle: '',
    connecting: 'Connecting…',
    open: 'Connected',
    reconnecting: 'Reconnecting…',
    closed: 'Disconnected',
  }[conv.status];
  view.status.textContent = text;
  view.status.dataset.status = conv.status;
}

function update() {
  if (!view) return;
  renderStatus();
  const active = conv.contentType !== null;
  view.picker.hidden = active;
  view.body.hidden = !active;
  view.steps.hidden = !active;
  const type = TYPES.find((t) => t.id === conv.contentType);
  view.heading.textContent = type ? type.label : 'What would you like to create?';
  if (!active) {
    renderPicker();
    return;
  }
  renderSteps();
  renderLog();
  renderDraft();
  renderPanel();
  const open = conv.sessionId && !ENDED.has(conv.state) && conv.state !== 'Expired' && conv.state !== 'Generating';
  view.composer.input.disabled = !open;
  view.composer.sendButton.disabled = !open;
}

function renderPicker() {
  mount(view.picker,
    conv.notice ? h('p', { class: 'notice', text: conv.notice }) : null,
    h('div', { class: 'talk-types' }, TYPES.map((t) =>
      h('button', { type: 'button', class: 'talk-type card', dataset: { type: t.id }, on: { click: () => start(t.id) } },
        h('strong', { text: t.label }),
        h('span', { text: t.blurb }),
        h('small', { class: 'muted', text: `${t.cost} credit${t.cost > 1 ? 's' : ''}` })))));
}

function renderSteps() {
  const path = PATHS[conv.contentType] || PATHS.ritual;
  const at = path.indexOf(conv.state);
  const items = path.map((state, i) => h('li', {
    class: i < at || conv.state === 'Complete' ? 'done' : '',
    'aria-current': i === at ? 'step' : null,
    dataset: { state },
    text: STEP_LABELS[state],
  }));
  if (at < 0 && conv.state) {
    const label = { SafetyHold: 'Paused for your safety', Failed: 'Failed', Cancelled: 'Cancelled', Expired: 'Expired' }[conv.state] || words(conv.state);
    items.push(h('li', { class: 'off-path', 'aria-current': 'step', dataset: { state: conv.state }, text: label }));
  }
  mount(view.steps, items);
}

function renderLog() {
  mount(view.log, conv.messages.map((m) =>
    h('div', { class: `msg msg-${m.role}` }, m.content, m.interrupted ? h('small', { class: 'muted', text: ' (stopped)' }) : null)));
  view.log.scrollTop = view.log.scrollHeight;
  view.body.scrollIntoView({ block: 'end' });
}

function renderDraft() {
  if (!view) return;
  view.draft.textContent = conv.draft;
  view.draft.hidden = !conv.draft;
  view.composer.stop.hidden = !conv.draft && !conv.player;
}

function renderPanel() {
  const parts = [];
  if (conv.safety) parts.push(safetyCard(conv.safety));
  if (conv.state === 'Confirmation') parts.push(summaryActions());
  if (conv.generation && !conv.item && !conv.failure) parts.push(progressCard(conv.generation));
  if (conv.failure) parts.push(h('div', { class: 'card talk-failed', role: 'alert' },
    h('strong', { text: 'The item could not be created.' }),
    h('p', { text: describe(conv.failure.code, conv.failure.message) }),
    conv.failure.refunded ? h('p', { class: 'muted', text: 'Your credits were not charged.' }) : null));
  if (conv.item) parts.push(itemCard(conv.item));
  if (ENDED.has(conv.state) || conv.state === 'Expired' || conv.state === 'SafetyHold') {
    parts.push(h('p', { class: 'actions' },
      button('Start another', () => { conv.contentType = null; conv.sessionId = null; update(); }, { class: 'primary' })));
  }
  mount(view.panel, parts);
}

function summaryActions() {
  const slot = h('select', { name: 'slot', 'aria-label': 'Detail to change' },
    h('option', { value: '', text: 'Change a detail…' }),
    SLOTS.map(([value, label]) => h('option', { value, text: label })));
  slot.addEventListener('change', () => {
    if (slot.value) act('edit', { slot: slot.value });
  });
  return h('div', { class: 'card talk-summary' },
    h('p', { text: 'Happy with this?' }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', text: 'Create it', on: { click: () => act('confirm') } }),
      slot,
      h('button', { type: 'button', text: 'Cancel', on: { click: () => act('cancel') } })));
}

function progressCard(generation) {
  const label = generation.stage === 'done' ? 'Ready' : STAGES[generation.stage] || words(generation.stage);
  return h('div', { class: 'card talk-generating' },
    h('p', {}, h('strong', { text: `${label}…` }),
      generation.estimated ? h('span', { class: 'muted', text: ` about ${generation.estimated} s` }) : null),
    h('progress', { class: 'talk-progress', max: 100, value: generation.percent || 0 }));
}

function itemCard(item) {
  return h('div', { class: 'card talk-item', dataset: { id: item.id } },
    h('h2', { text: item.title || 'Your new practice' }),
    h('p', { class: 'muted', text: [words(item.content_type), duration(item.audio_duration)].filter(Boolean).join(' · ') }),
    item.audio_url ? practicePlayer(item, 'talk-player') : h('p', { class: 'muted', text: 'This item has no audio.' }),
    h('p', {}, h('a', { href: `#/library/${item.id}`, text: 'Open in your library' })));
}

function safetyCard(safety) {
  return h('div', { class: 'card talk-safety', role: 'alert' },
    h('strong', { text: 'You are not alone. If you are in danger, please reach out now:' }),
    h('ul', {}, safety.resources.map((r) => h('li', {},
      h('strong', { text: r.name }), ': ', r.contact,
      h('small', { class: 'muted', text: ` (${r.region}, ${r.available})` })))));
}
