import { describe, expect, it } from 'vitest';
import { csvCell, formatNumber } from '../src/reports/csv.js';

describe('CSV output (SPEC §7.1)', () => {
  it('writes at most 6 decimals without exponents or trailing zeros', () => {
    expect(formatNumber(1 / 3)).toBe('0.333333');
    expect(formatNumber(2 / 3)).toBe('0.666667');
    expect(formatNumber(120.5)).toBe('120.5');
    expect(formatNumber(1e-7)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1234567.0000004)).toBe('1234567');
  });

  it('keeps spreadsheets from running cells as formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+20% off')).toBe("'+20% off");
    expect(csvCell('-x')).toBe("'-x");
    expect(csvCell('@me')).toBe("'@me");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('plain')).toBe('plain');
  });
});
