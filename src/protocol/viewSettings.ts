import type { SettingsReader } from '../core/settings';
import type { ViewSettings } from './messages';

/** What the chat view renders with, from checked settings. */
export function viewSettingsFrom(read: SettingsReader): ViewSettings {
  const names = [
    read('glimesh.channel'),
    read('mixer.channel'),
    read('tau.channel'),
    read('tau.chatBot'),
  ]
    .map((n) => n.trim().replace(/^[#@]/, '').toLowerCase())
    .filter((n) => n.length > 0 && !/^\d+$/.test(n));
  const extra = read('view.mentionNames')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  return {
    showTimestamps: read('view.showTimestamps'),
    hideDeleted: read('view.hideDeleted'),
    fontSize: read('view.fontSize'),
    scrollback: read('scrollback'),
    mentionNames: [...new Set([...names, ...extra])],
    sound: read('view.sound'),
  };
}
