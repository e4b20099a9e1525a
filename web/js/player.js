// An audio player for an item that records practice: a play when playback first
// starts, and its completion (with the time listened) when the audio ends.

import { api } from './api.js';
import { h, mount, toast } from './ui.js';

export function practicePlayer(item, className) {
  const audio = h('audio', { class: className, controls: true, preload: 'metadata', src: item.audio_url });
  let event = null;
  audio.addEventListener('play', () => {
    if (event) return;
    event = api(`/content/${item.id}/play`, { method: 'POST', body: { device: 'web' } })
      .catch((error) => {
        event = null;
        toast(error.message, 'error');
        return null;
      });
  });
  audio.addEventListener('ended', async () => {
    const played = event && await event;
    event = null;
    if (!played) return;
    const body = { practice_event_id: played.practice_event_id, duration: Math.round(audio.duration || 0) };
    api(`/content/${item.id}/complete`, { method: 'POST', body }).catch((error) => toast(error.message, 'error'));
  });
  return audio;
}

/**
 * Fetches the item for a fresh playback URL and starts its player in `slot`, stopping
 * any other player of the same class.
 */
export async function playItem(id, slot, className) {
  const item = await api(`/content/${id}`);
  if (!item.audio_url) {
    toast('This item has no audio.', 'error');
    return;
  }
  document.querySelectorAll(`audio.${className}`).forEach((audio) => {
    audio.pause();
    audio.remove();
  });
  const audio = practicePlayer(item, className);
  audio.addEventListener('error', () => toast('The audio could not be loaded. Press Play again for a fresh link.', 'error'));
  mount(slot, audio);
  audio.play().catch(() => { /* autoplay refused: the controls are there to press */ });
}
