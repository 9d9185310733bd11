import type { Rule } from '../config/schema.js';
import { hostOf, paramOf, pathOf, queryOf, sqlLiteral } from './urlParts.js';

/**
 * Compiles an advertiser's mapping rules (SPEC §4) into one SQL query over a relation of views.
 *
 * Input relation columns: `url`, `referrer` (plus anything else, passed through as `v.*`).
 * Output adds `rule_index` (NULL when no rule matched), `excluded`, `tier_1`..`tier_5`, `platform`.
 * Rules are tried by descending priority (ties keep config order); the first match decides.
 *
 * Besides URL parameters, tiers may use two pseudo-parameters: `{referrer_host}` and `{url_host}`.
 * `referrer_host` conditions also accept `"*"` (any referrer) and `"{url_host}"` (the referrer is the
 * page's own host: internal navigation).
 */
export function compileRulesQuery(rules: readonly Rule[], viewsRelation: string): string {
  const ordered = rules.map((rule, index) => ({ rule, index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map((entry) => entry.rule);

  const params = new Map<string, string>(); // param name -> column alias
  const paramColumn = (name: string): string => {
    let alias = params.get(name);
    if (!alias) {
      alias = `p_${params.size}`;
      params.set(name, alias);
    }
    return alias;
  };

  const conditions = ordered.map((rule) => conditionSql(rule, paramColumn));
  const tierExprs = ordered.map((rule) => (rule.tiers ?? ['', '', '', '', '']).map((t) => templateSql(t, paramColumn)));

  const caseIndex = ordered.length === 0
    ? 'NULL::INTEGER'
    : `CASE ${conditions.map((c, i) => `WHEN ${c} THEN ${i}`).join(' ')} ELSE NULL END`;
  const excludedList = ordered.map((r, i) => (r.exclude ? i : -1)).filter((i) => i >= 0);
  const excluded = excludedList.length ? `coalesce(rule_index IN (${excludedList.join(', ')}), false)` : 'false';
  const tierCase = (t: number): string => ordered.length === 0
    ? `''`
    : `CASE rule_index ${tierExprs.map((tiers, i) => `WHEN ${i} THEN ${tiers[t]}`).join(' ')} ELSE '' END`;
  const platformCase = ordered.length === 0
    ? `''`
    : `CASE rule_index ${ordered.map((rule, i) => `WHEN ${i} THEN ${rule.platform !== undefined ? sqlLiteral(rule.platform) : `lower(${tierExprs[i][1]})`}`).join(' ')} ELSE '' END`;

  const paramSelect = [...params.entries()]
    // a cheap substring test first: most queries lack most parameters, and many views have no query at all
    .map(([name, alias]) => `CASE WHEN contains(_q, ${sqlLiteral(`${encodeURIComponent(name)}=`)}) THEN ${paramOf('_q', name)} ELSE '' END AS ${alias}`)
    .join(', ');

  return `
    WITH _parts AS (
      SELECT v.*, ${queryOf('v.url')} AS _q, ${hostOf('v.url')} AS _url_host,
             ${pathOf('v.url')} AS _path, ${hostOf('v.referrer')} AS _ref_host
      FROM ${viewsRelation} v
    ), _params AS (
      SELECT *${paramSelect ? `, ${paramSelect}` : ''} FROM _parts
    ), _matched AS (
      SELECT *, ${caseIndex} AS rule_index FROM _params
    )
    SELECT * EXCLUDE (_q, _path${params.size ? `, ${[...params.values()].join(', ')}` : ''}),
           ${excluded} AS excluded,
           ${[0, 1, 2, 3, 4].map((t) => `${tierCase(t)} AS tier_${t + 1}`).join(', ')},
           ${platformCase} AS platform
    FROM _matched`;
}

function conditionSql(rule: Rule, paramColumn: (name: string) => string): string {
  const parts: string[] = [];
  for (const [name, expected] of Object.entries(rule.when.params ?? {})) {
    const col = paramColumn(name);
    parts.push(expected === '*' ? `${col} <> ''` : `${col} = ${sqlLiteral(expected)}`);
  }
  const ref = rule.when.referrer_host;
  if (ref !== undefined) parts.push(hostCondition('_ref_host', ref));
  const urlHost = rule.when.url_host;
  if (urlHost !== undefined) parts.push(hostCondition('_url_host', urlHost));
  if (rule.when.url_path_prefix !== undefined) parts.push(`starts_with(_path, ${sqlLiteral(rule.when.url_path_prefix)})`);
  return parts.length ? `(${parts.join(' AND ')})` : 'true';
}

/** host equals `expected` or is a subdomain of it; '' = no host; '*' = any; '{url_host}' = the page's host. */
function hostCondition(column: string, expected: string): string {
  if (expected === '') return `${column} = ''`;
  if (expected === '*') return `${column} <> ''`;
  if (expected === '{url_host}') return `(${column} <> '' AND ${column} = _url_host)`;
  return `(${column} = ${sqlLiteral(expected)} OR ends_with(${column}, ${sqlLiteral(`.${expected}`)}))`;
}

/** A tier: literal text with `{param}` placeholders replaced by decoded parameter values. */
function templateSql(template: string, paramColumn: (name: string) => string): string {
  const pieces: string[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{([^{}]+)\}/g)) {
    if (match.index > last) pieces.push(sqlLiteral(template.slice(last, match.index)));
    const name = match[1];
    pieces.push(name === 'referrer_host' ? '_ref_host' : name === 'url_host' ? '_url_host' : paramColumn(name));
    last = match.index + match[0].length;
  }
  if (last < template.length) pieces.push(sqlLiteral(template.slice(last)));
  if (pieces.length === 0) return `''`;
  return pieces.length === 1 ? pieces[0] : `concat(${pieces.join(', ')})`;
}
