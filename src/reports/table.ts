import { formatNumber } from './csv.js';

/** A plain aligned text table for terminals: text left-aligned, numbers (and numeric text) right-aligned. */
export function renderTable(headers: readonly string[], rows: readonly (string | number)[][]): string {
  const cells = rows.map((r) => r.map((v) => (typeof v === 'number' ? formatFixed(v) : v)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^-?[$€£]?[\d,]+(\.\d+)?%?$/.test(r[i] as string)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (values: readonly string[]) => values
    .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}

function formatFixed(x: number): string {
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const abs = Math.abs(x);
  return abs >= 100 ? x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : formatNumber(Number(x.toFixed(2))) ;
}
