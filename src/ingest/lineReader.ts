import { sqlString } from '../store/db.js';

/**
 * DuckDB's CSV reader set to return each whole line of a file (plain or gzip) as one VARCHAR column
 * `line`, in file order: files of any size are streamed, never held in memory. Empty lines come back
 * as NULL (they still count for line numbers).
 */
export function fileLines(file: string): string {
  return `read_csv(${sqlString(file)}, columns = {'line': 'VARCHAR'}, header = false,
    delim = '\\0', quote = '', escape = '', auto_detect = false,
    strict_mode = false, max_line_size = 16777216, compression = 'auto')`;
}
