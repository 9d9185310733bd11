import { RefusedError } from '../../../errors.js';

/** Where a daily report goes (SPEC §7.2). */
export type Destination =
  | { kind: 'dir'; dir: string; label: string }
  | { kind: 'http'; url: string; label: string };

/**
 * Parses `dir:PATH` or an `http(s)://` URL. The label (kept in the ledger and shown) is the
 * destination without any user:password part of the URL; tokens belong in --token, never in the ledger.
 */
export function parseDestination(to: string): Destination {
  const text = (to ?? '').trim();
  if (text.startsWith('dir:')) {
    const dir = text.slice(4);
    if (dir === '') throw new RefusedError('--to dir: needs a folder, e.g. dir:/var/reports');
    return { kind: 'dir', dir, label: `dir:${dir}` };
  }
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new RefusedError(`--to is not a valid URL: "${text}"`);
    }
    const label = new URL(url.href);
    label.username = '';
    label.password = '';
    return { kind: 'http', url: url.href, label: label.href };
  }
  throw new RefusedError(`--to must be dir:PATH or an http(s):// URL, got "${text}"`);
}
