// The page a share link opens: the item's title, text and audio, for anyone with the
// link, signed in or not.

import { api } from './api.js';
import { duration, h, mount, words } from './ui.js';
import { failure, loading, paragraphs } from './kit.js';

export function render(root, params) {
  let alive = true;
  const token = params[0] || '';
  mount(root, loading());
  api(`/shared/${encodeURIComponent(token)}`, { auth: false })
    .then((item) => {
      if (!alive) return;
      mount(root, h('section', { class: 'screen shared' },
        h('p', { class: 'muted', text: 'Shared with you on waQup' }),
        h('h1', { text: item.title || 'A practice' }),
        h('p', { class: 'muted', text: [words(item.content_type), duration(item.duration)].filter(Boolean).join(' · ') }),
        item.audio_url ? h('audio', { class: 'shared-player', controls: true, preload: 'metadata', src: item.audio_url }) : null,
        item.content_text ? paragraphs(item.content_text) : null,
        h('p', {}, h('a', { href: '#/talk', text: 'Make your own with waQup' }))));
    })
    .catch((error) => {
      if (alive) mount(root, h('section', { class: 'screen' }, h('h1', { text: 'This link does not work' }), failure(error)));
    });
  return () => { alive = false; };
}
