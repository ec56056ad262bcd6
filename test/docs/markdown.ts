// What the docs tests read from a Markdown file: its links, its headings' anchors, its code blocks.
import GithubSlugger from 'github-slugger';
import { marked, type Token, type Tokens } from 'marked';

export interface MarkdownFacts {
  /** Link and image targets, as written. */
  links: string[];
  /** Each heading's anchor, by GitHub's rule (a repeated heading gets -1, -2, …). */
  anchors: Set<string>;
  /** Fenced code blocks, each with the heading it sits under. */
  codeBlocks: { heading: string; text: string }[];
  /** Tables' first columns (the cells' Markdown), each with the heading it sits under. */
  tables: { heading: string; firstColumn: string[] }[];
}

/** The text a heading shows: code spans without their backticks, links as their text. */
function plainText(tokens: Token[]): string {
  return tokens
    .map((t) => ('tokens' in t && Array.isArray(t.tokens) && t.tokens.length > 0 ? plainText(t.tokens) : 'text' in t ? String(t.text) : ''))
    .join('');
}

export function readMarkdown(text: string): MarkdownFacts {
  const tokens = marked.lexer(text);
  const slugger = new GithubSlugger();
  const facts: MarkdownFacts = { links: [], anchors: new Set(), codeBlocks: [], tables: [] };
  let heading = '';
  for (const top of tokens) {
    if (top.type === 'heading') {
      heading = plainText((top as Tokens.Heading).tokens);
      facts.anchors.add(slugger.slug(heading));
    }
    if (top.type === 'code') facts.codeBlocks.push({ heading, text: (top as Tokens.Code).text });
    if (top.type === 'table') facts.tables.push({ heading, firstColumn: (top as Tokens.Table).rows.map((r) => r[0]?.text ?? '') });
  }
  void marked.walkTokens(tokens, (t) => {
    if (t.type === 'link' || t.type === 'image') facts.links.push((t as Tokens.Link | Tokens.Image).href);
  });
  return facts;
}

/** A link to another site (or a mail address), which these tests do not follow. */
export function isExternal(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href);
}
