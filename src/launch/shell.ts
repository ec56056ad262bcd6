/** Words for a POSIX shell script, quoted only where they need it. */

/** `word` as one shell word: as it is when it is plain, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line of quoted words. */
export function shellLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
