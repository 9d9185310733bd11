/**
 * SQL expressions that take URLs apart inside DuckDB (so mapping runs at columnar speed).
 * Each takes a SQL expression yielding a VARCHAR URL and returns a VARCHAR expression, '' when absent.
 */

/** The query string after '?' (without the fragment). */
export function queryOf(urlExpr: string): string {
  return `coalesce(regexp_extract(${urlExpr}, '\\?([^#]*)', 1), '')`;
}

/** Lower-cased host of an absolute URL ('' when none). */
export function hostOf(urlExpr: string): string {
  return `lower(coalesce(regexp_extract(${urlExpr}, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)', 1), ''))`;
}

/** The path of an absolute URL ('/' style, '' when none). */
export function pathOf(urlExpr: string): string {
  return `coalesce(regexp_extract(${urlExpr}, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)', 1), '')`;
}

/**
 * The decoded value of the first `name=` parameter in a query string expression
 * ('+' is a space, %XX sequences are decoded); '' when the parameter is absent.
 */
export function paramOf(queryExpr: string, name: string): string {
  const pattern = `&${escapeRegex(encodeURIComponent(name))}=([^&]*)`;
  const raw = `replace(regexp_extract('&' || ${queryExpr}, ${sqlLiteral(pattern)}, 1), '+', ' ')`;
  return `coalesce(try(url_decode(${raw})), ${raw})`;
}

/** Whether a parameter named `name` is present (with any value, even empty). */
export function hasParam(queryExpr: string, name: string): string {
  const pattern = `&${escapeRegex(encodeURIComponent(name))}(=|&|$)`;
  return `regexp_matches('&' || ${queryExpr}, ${sqlLiteral(pattern)})`;
}

export function sqlLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
