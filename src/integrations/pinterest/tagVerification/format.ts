/** Plain-text rendering of verification results for the terminal. */
import { countStatuses, formatDuration } from './classify.js';
import { PAGE_STATUSES, type PageResult, type VerificationResult } from './types.js';

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells
    .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** "12 pages: 10 ok, 1 missing, 1 error". */
export function statusCounts(pages: readonly PageResult[]): string {
  const counts = countStatuses(pages);
  const parts = PAGE_STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return `${pages.length} page${pages.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** The per-page table, the advice for each page that is not ok, and a verdict line. */
export function formatVerification(result: VerificationResult): string {
  const rows = result.pages.map((p) => [
    p.status,
    p.tag_id ?? '-',
    p.http_status === null ? '-' : String(p.http_status),
    formatDuration(p.elapsed_ms),
    p.url,
  ]);
  const lines = table(['STATUS', 'TAG ID', 'HTTP', 'TIME', 'URL'], rows);
  const notOk = result.pages.filter((p) => p.status !== 'ok');
  if (notOk.length > 0) {
    lines.push('', 'What to do:');
    for (const p of notOk) {
      const extra: string[] = [];
      if (p.reason) extra.push(p.reason);
      if (p.tag_ids_seen.length > 1) extra.push(`tag ids seen: ${p.tag_ids_seen.join(', ')}`);
      if (p.final_url && p.final_url !== p.url) extra.push(`ended at ${p.final_url}`);
      lines.push(`  ${p.status}  ${p.url}${extra.length ? `  (${extra.join('; ')})` : ''}`);
      lines.push(`    ${p.advice ?? ''}`);
    }
  }
  lines.push('', verdictLine(result));
  return `${lines.join('\n')}\n`;
}

/** "PASSED: ..." or "NOT PASSED: ...". */
export function verdictLine(result: VerificationResult): string {
  const expected = result.expected_tag_id ? `expected tag id ${result.expected_tag_id}` : 'no expected tag id given';
  if (result.pages.length === 0) return `NOT PASSED: no page was checked (${expected}).`;
  return result.passed
    ? `PASSED: the Pinterest tag is on every page checked (${statusCounts(result.pages)}; ${expected}).`
    : `NOT PASSED: ${statusCounts(result.pages)} (${expected}).`;
}
