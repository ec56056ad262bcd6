/** Number formatting shared by summaries, suggestions and chart labels. */

/** Significant digits shown in summaries and labels. */
const SHOWN_DIGITS = 3;
/** Magnitudes outside [SMALL, LARGE) are shown in exponent notation. */
const SMALL = 1e-3;
const LARGE = 1e5;

/** A short human form of a number: 3 significant digits, exponents for tiny and huge values, NaN and ±Infinity spelled out. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < SMALL || a >= LARGE) {
    const [mantissa = '', exponent = ''] = x.toExponential(SHOWN_DIGITS - 1).split('e');
    return `${Number(mantissa)}e${exponent.replace('+', '')}`;
  }
  return String(Number(x.toPrecision(SHOWN_DIGITS)));
}

/** Significant digits kept in evidence values (enough to recompute a verdict, short enough to read). */
const EVIDENCE_DIGITS = 6;

/** An evidence value: finite numbers rounded to 6 significant digits; NaN and ±Infinity as strings (they are not JSON). */
export function evidenceValue(x: number | null | undefined): number | string | null {
  if (x === null || x === undefined) return null;
  if (!Number.isFinite(x)) return fmt(x);
  return Number(x.toPrecision(EVIDENCE_DIGITS));
}

/** A fraction as a percentage with up to 2 significant decimals, e.g. 0.0031 → "0.31 %". */
export function pct(x: number): string {
  return `${fmt(x * 100)} %`;
}
