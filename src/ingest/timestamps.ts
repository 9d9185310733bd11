/**
 * ISO-8601 date-time with seconds and an explicit offset (`Z`, `+02:00`, `-0500`): the only text form
 * of a timestamp touchline accepts in its inputs (an instant without an offset would be a guess).
 * The pattern is written for both JavaScript and DuckDB's RE2 (`regexp_full_match`).
 */
export const ISO_WITH_OFFSET_PATTERN = '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}(:?\\d{2})?)$';

export const ISO_WITH_OFFSET = new RegExp(ISO_WITH_OFFSET_PATTERN);
