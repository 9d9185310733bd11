/**
 * Pure classification of what the browser saw on one page (SPEC §9), plus the plain-language
 * advice sentence for every status that is not `ok`. No browser, no I/O: easy to test.
 */
import type { PageFailure, PageObservation, PageResult, PageStatus } from './types.js';

/** A Pinterest tag id is digits only (the tag sets it as a number or as a string of digits). */
export function isValidTagId(value: string | number | null | undefined): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0;
  if (typeof value === 'string') return /^\d+$/.test(value.trim());
  return false;
}

/** The string form of a tag id as set by the page (numbers in plain decimal). */
export function tagIdString(value: string | number): string {
  return typeof value === 'number' ? String(value) : value.trim();
}

/** "10 s", "2.5 s", "800 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 100) / 10;
  return `${Number.isInteger(s) ? s.toFixed(0) : s.toFixed(1)} s`;
}

function listIds(ids: string[]): string {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

const NETWORK_REASONS: Array<[RegExp, string]> = [
  [/ERR_CONNECTION_REFUSED/, 'connection refused'],
  [/ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED/, 'host name not found'],
  [/ERR_ADDRESS_UNREACHABLE|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED/, 'the site could not be reached'],
  [/ERR_CONNECTION_TIMED_OUT|ERR_TIMED_OUT/, 'the connection timed out'],
  [/ERR_CERT_|ERR_SSL_/, 'the site\'s HTTPS certificate or TLS setup is not valid'],
  [/ERR_TOO_MANY_REDIRECTS/, 'too many redirects'],
  [/ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE|ERR_INVALID_HTTP_RESPONSE/, 'the server closed the connection without a page'],
  [/ERR_ABORTED/, 'the browser did not open the address as a page (it may be a download)'],
  [/ERR_BLOCKED/, 'the browser blocked the address'],
];

/** A short technical reason for a failure ("connection refused (net::ERR_CONNECTION_REFUSED)"). */
export function failureReason(failure: PageFailure): string {
  switch (failure.kind) {
    case 'http_status':
      return `HTTP ${failure.status}`;
    case 'not_html':
      return `not an HTML page: ${failure.contentType}`;
    case 'load_timeout':
      return `the page did not finish loading within ${formatDuration(failure.timeoutMs)}`;
    case 'network': {
      const hit = NETWORK_REASONS.find(([re]) => re.test(failure.code));
      const what = hit ? hit[1] : 'network error';
      return failure.code ? `${what} (${failure.code})` : `${what}: ${failure.message}`;
    }
    case 'browser':
      return `browser error: ${failure.message}`;
  }
}

function failureAdvice(failure: PageFailure): string {
  switch (failure.kind) {
    case 'http_status': {
      const s = failure.status;
      if (s === 404 || s === 410) {
        return `The page answered HTTP ${s} (not found), so the tag could not be checked: fix the address, or remove it from the sitemap if the page is gone, then check again.`;
      }
      if (s === 401 || s === 403 || s === 429) {
        return `The page answered HTTP ${s} (access refused), so the tag could not be checked: make sure the page is public and not behind a login, firewall or bot protection, then check again.`;
      }
      if (s >= 500) {
        return `The site answered HTTP ${s} (a server error), so the tag could not be checked: check again once the site works, and tell your web team if it keeps failing.`;
      }
      return `The page answered HTTP ${s} instead of showing a page, so the tag could not be checked: fix the address, then check again.`;
    }
    case 'not_html':
      return `This address is not a web page (${failure.contentType}), so it cannot carry the Pinterest tag: leave it out of the check (and out of the sitemap's page list).`;
    case 'load_timeout':
      return `The page did not finish loading within ${formatDuration(failure.timeoutMs)}, so the tag could not be checked reliably: ask your web team which part of the page never finishes loading, or check again with a longer --timeout.`;
    case 'network':
      return `The page could not be opened (${failureReason(failure)}): make sure the address is right and the site is reachable from this machine, then check again.`;
    case 'browser':
      return `The browser failed while checking this page (${failure.message}): check again, and report the page address if it keeps failing.`;
  }
}

function mismatchAdvice(finalTag: string | null, seen: string[], expected: string | null): string {
  if (finalTag !== null && !isValidTagId(finalTag)) {
    return `The page's Pinterest tag id is "${finalTag}", which is not a tag id (tag ids are digits only): put your real Pinterest tag id into the Pinterest base code.`;
  }
  if (expected !== null) {
    const others = seen.filter((id) => id !== expected);
    if (seen.includes(expected)) {
      return `This page loads another Pinterest tag (${listIds(others)}) besides yours (${expected}): remove the other tag so that only ${expected} is loaded.`;
    }
    if (others.length === 1) {
      return `This page loads Pinterest tag ${others[0]} instead of your tag ${expected}: replace the tag id in the Pinterest base code with ${expected}.`;
    }
    return `This page loads Pinterest tags ${listIds(others)} but not yours (${expected}): replace them with a single tag using ${expected}.`;
  }
  return `This page loads ${seen.length} different Pinterest tags (${listIds(seen)}), so conversions may be counted for the wrong account: keep only your own tag (run the check with --expect-tag-id to name it).`;
}

function stubAdvice(timeoutMs: number): string {
  return `The page sets up the Pinterest tag but the Pinterest script never loaded within ${formatDuration(timeoutMs)}: make sure nothing blocks it (a content security policy, a tag manager rule, a script error), and if a cookie-consent banner holds it back until visitors accept, know that visitors who do not accept are not measured.`;
}

const MISSING_ADVICE = 'No Pinterest tag was found on this page: add the Pinterest base code (directly or through your tag manager) to every page of the site, then check again.';

/** The status and advice for a page's observation, checked against the expected tag id when given. */
export function classifyPage(obs: PageObservation, expectedTagId: string | null = null): PageResult {
  const expected = expectedTagId === null ? null : expectedTagId.trim();
  const finalTag = obs.tagId === null ? null : tagIdString(obs.tagId);
  const seen: string[] = [];
  for (const id of [...obs.tagIdsSeen, ...(finalTag !== null && finalTag !== '' ? [finalTag] : [])]) {
    const s = id.trim();
    if (s !== '' && !seen.includes(s)) seen.push(s);
  }
  const tagId = finalTag === '' ? null : finalTag;
  const result = (status: PageStatus, advice: string | null, reason: string | null = null): PageResult => ({
    url: obs.url,
    status,
    tag_id: tagId,
    tag_ids_seen: seen,
    http_status: obs.httpStatus,
    final_url: obs.finalUrl,
    elapsed_ms: Math.round(obs.elapsedMs),
    reason,
    advice,
  });

  if (obs.failure) return result('error', failureAdvice(obs.failure), failureReason(obs.failure));
  if (!obs.hasPintrk) return result('missing', MISSING_ADVICE);
  if (tagId === null) return result('stub_only', stubAdvice(obs.timeoutMs));
  const finalValid = obs.tagId !== null && isValidTagId(obs.tagId);
  if (!finalValid) return result('mismatch', mismatchAdvice(tagId, seen, expected));
  const others = expected !== null ? seen.filter((id) => id !== expected) : [];
  if (others.length > 0 || seen.length > 1) return result('mismatch', mismatchAdvice(tagId, seen, expected));
  return result('ok', null);
}

/** A run passes when there is at least one page and every page is ok. */
export function runPassed(pages: readonly PageResult[]): boolean {
  return pages.length > 0 && pages.every((p) => p.status === 'ok');
}

/** Pages per status, in a fixed order (zero counts included). */
export function countStatuses(pages: readonly PageResult[]): Record<PageStatus, number> {
  const counts: Record<PageStatus, number> = { ok: 0, stub_only: 0, missing: 0, mismatch: 0, error: 0 };
  for (const p of pages) counts[p.status]++;
  return counts;
}
