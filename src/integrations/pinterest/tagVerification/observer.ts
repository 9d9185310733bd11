/**
 * The script injected into every page before its own scripts run (context.addInitScript). It
 * watches assignments of `window.pintrk` and of `pintrk.tagId` and records every tag id value,
 * so a page that loads two different tags (or changes the id later) is seen even though
 * `window.pintrk.tagId` only holds the last one.
 */

/** Name of the hidden window property holding the record. */
export const OBSERVER_KEY = '__touchlinePintrkObserver';

/** Source of the init script (plain ES2017, runs in every frame). */
export const OBSERVER_SCRIPT = `(() => {
  const KEY = ${JSON.stringify(OBSERVER_KEY)};
  if (Object.prototype.hasOwnProperty.call(window, KEY)) return;
  const seen = [];
  Object.defineProperty(window, KEY, { value: { seen }, enumerable: false, configurable: false, writable: false });
  const record = (v) => {
    if (v === undefined || v === null || v === '') return;
    let s;
    try { s = typeof v === 'object' ? JSON.stringify(v) : String(v); } catch (e) { s = String(v); }
    if (s !== '' && seen.indexOf(s) < 0) seen.push(s);
  };
  const watched = new WeakSet();
  const watch = (obj) => {
    if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return;
    if (watched.has(obj)) return;
    watched.add(obj);
    let current;
    const own = Object.getOwnPropertyDescriptor(obj, 'tagId');
    if (own) {
      if (!own.configurable || !('value' in own)) { try { record(obj.tagId); } catch (e) {} return; }
      current = own.value;
    }
    record(current);
    try {
      Object.defineProperty(obj, 'tagId', {
        configurable: true,
        enumerable: true,
        get() { return current; },
        set(v) { current = v; record(v); },
      });
    } catch (e) { /* a frozen object: the final read still sees it */ }
  };
  let pintrk;
  try {
    Object.defineProperty(window, 'pintrk', {
      configurable: true,
      enumerable: true,
      get() { return pintrk; },
      set(v) { pintrk = v; watch(v); },
    });
  } catch (e) { /* the page defined it first: the final read still works */ }
})();`;

/** What readTagState returns from the page. */
export interface TagState {
  hasPintrk: boolean;
  tagId: string | number | null;
  seen: string[];
}

/**
 * Expression evaluated in the page: the current state of window.pintrk and the observer's record.
 * Kept as source text (not a function) so no compiler helper can leak into the page.
 */
export const READ_STATE_SCRIPT = `(() => {
  const p = window.pintrk;
  const hasPintrk = p !== undefined && p !== null;
  let tagId = null;
  if (hasPintrk) {
    let raw;
    try { raw = p.tagId; } catch (e) { raw = undefined; }
    if (typeof raw === 'string' || typeof raw === 'number') tagId = raw;
    else if (raw !== undefined && raw !== null) {
      try { tagId = typeof raw === 'object' ? JSON.stringify(raw) : String(raw); } catch (e) { tagId = String(raw); }
    }
  }
  const rec = window[${JSON.stringify(OBSERVER_KEY)}];
  const seen = rec && Array.isArray(rec.seen) ? rec.seen.map(String) : [];
  return { hasPintrk, tagId, seen };
})()`;
