/**
 * CSV writing (RFC 4180) with spreadsheet formula protection: a text cell that starts with
 * =, +, -, @, a tab or a carriage return is prefixed with a single quote so spreadsheets show it as text.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return formatNumber(value);
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly (string | number)[]): string {
  return values.map(csvCell).join(',');
}

/** Rounded to 6 decimals (SPEC §7.1); -0 and dust below the 6th decimal become 0. */
export function round6(x: number): number {
  const r = Math.round(x * 1e6) / 1e6;
  return r === 0 ? 0 : r;
}

/** Numbers with at most 6 decimals, no exponent, no trailing zeros. */
export function formatNumber(x: number): string {
  const r = round6(x);
  if (r === 0) return '0';
  return r.toFixed(6).replace(/\.?0+$/, '');
}

export function toCsv<T extends object>(columns: readonly (keyof T & string)[], rows: readonly T[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(csvLine(columns.map((c) => row[c] as unknown as string | number)));
  return `${lines.join('\n')}\n`;
}
