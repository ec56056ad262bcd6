/** The plain JS value of a parsed spec, with the yaml library's resource and alias errors as problems. */
import { isAlias, isPair, isScalar, visit } from 'yaml';
import type { Node } from 'yaml';
import { pathAtOffset, type ParsedYaml, type YamlProblem } from './yaml-positions.js';

/** A spec needs a handful of aliases at most; more is an alias bomb ("billion laughs"). */
export const MAX_ALIAS_COUNT = 1000;

export type PlainYaml = { ok: true; value: unknown } | { ok: false; problem: YamlProblem };

/** `doc.toJS()`, except that what it throws (alias bombs, unresolved aliases, bad merges) is returned. */
export function plainValue(parsed: ParsedYaml): PlainYaml {
  try {
    return { ok: true, value: parsed.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const { offset, message } = describe(parsed, text);
    // A merge key's segment is a symbol, not a name a user could write.
    const path = pathAtOffset(parsed.doc, offset).filter((s) => typeof s !== 'symbol');
    return { ok: false, problem: { offset, path, message: `invalid YAML: ${message}`, fatal: true } };
  }
}

function describe(parsed: ParsedYaml, text: string): { offset: number; message: string } {
  if (/excessive alias count/i.test(text)) {
    return {
      offset: firstNode(parsed, (n) => isAlias(n)) ?? 0,
      message: `aliases expand to too many nodes (over ${MAX_ALIAS_COUNT}; an alias bomb?): write the values out or use fewer aliases`,
    };
  }
  const unresolved = /^Unresolved alias.*: (.+)$/.exec(text);
  if (unresolved !== null) {
    const name = unresolved[1] ?? '';
    return {
      offset: firstNode(parsed, (n) => isAlias(n) && n.source === name) ?? 0,
      message: `alias *${name} has no anchor &${name} before it`,
    };
  }
  if (/merge/i.test(text)) {
    return {
      offset: firstNode(parsed, (n) => isPair(n) && isScalar(n.key) && n.key.source === '<<', true) ?? 0,
      message: 'a merge key (<<) takes a mapping or an alias of one',
    };
  }
  return { offset: 0, message: text };
}

/** The start offset of the first node (or pair, by its key) that matches. */
function firstNode(parsed: ParsedYaml, match: (node: unknown) => boolean, pairs = false): number | undefined {
  let found: number | undefined;
  visit(parsed.doc, {
    Pair: (_key, pair) => {
      if (!pairs || !match(pair)) return undefined;
      found = (pair.key as Node | null)?.range?.[0];
      return visit.BREAK;
    },
    Alias: (_key, node) => {
      if (pairs || !match(node)) return undefined;
      found = node.range?.[0];
      return visit.BREAK;
    },
  });
  return found;
}
