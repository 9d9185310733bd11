/** Terminal lines for `touchline pinterest status` (no database code: cheap to import). */
import type { PinterestStatus } from './status.js';

/** How many of the latest days the terminal view lists (JSON has them all). */
export const DAYS_SHOWN = 14;

export function formatPinterestStatus(s: PinterestStatus): string[] {
  const lines: string[] = [];
  if (s.activations.length === 0) {
    lines.push('Integration: not enabled (needs a passing tag verification; then: touchline pinterest enable --tag-id ID --consent-by NAME)');
    return lines;
  }
  if (s.enabled) {
    lines.push(`Integration: ENABLED since ${s.activated_at} (tag id ${s.tag_id}; consent by ${s.consent!.by} at ${s.consent!.at})`);
  } else {
    lines.push(`Integration: DISABLED at ${s.deactivated_at} (was enabled since ${s.activated_at}; history stays readable; ` +
      'enable again with: touchline pinterest enable --tag-id ID --consent-by NAME)');
  }
  if (s.first_activated_at !== s.activated_at) lines.push(`  first enabled ${s.first_activated_at}; ${s.activations.length} activations`);
  lines.push(`Segment: ${s.segment}`);
  lines.push(`First feed: ${s.first_feed_date}; each day's feed is due by ${String(s.report_due_hour).padStart(2, '0')}:00 ${s.timezone} the next day`);
  const c = s.counts;
  lines.push(`Feeds: ${c.received} received, ${c.pending} pending, ${c.late} late, ${c.missing} missing`);
  const shown = s.days.slice(-DAYS_SHOWN);
  if (shown.length > 0) {
    if (s.days.length > shown.length) lines.push(`  (latest ${shown.length} of ${s.days.length} days; --json lists all)`);
    const table = [['date', 'status', 'rows', 'matched', 'unmatched', 'rejects'],
      ...shown.map((d) => d.status === 'received'
        ? [d.date, d.status, int(d.rows), d.matched_share === null ? '-' : `${(d.matched_share * 100).toFixed(1)}%`, int(d.unmatched), int(d.rejects)]
        : [d.date, d.status, '-', '-', '-', d.status === 'pending' ? `due ${d.due_at}` : ''])];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    for (const r of table) lines.push(`  ${r.map((v, i) => (i >= 2 && i <= 4 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd()}`);
  }
  if (s.recent_deliveries.length === 0) {
    lines.push('Daily reports: none sent yet (touchline pinterest send-report --date YYYY-MM-DD --to DEST)');
  } else {
    lines.push('Daily reports (latest first):');
    for (const d of s.recent_deliveries.slice(0, 5)) {
      const what = d.status === 'delivered'
        ? `delivered at ${d.delivered_at} (${d.row_count} rows, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'})`
        : `FAILED after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}: ${d.error}`;
      lines.push(`  ${d.date} → ${d.destination}: ${what}`);
    }
  }
  return lines;
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}
