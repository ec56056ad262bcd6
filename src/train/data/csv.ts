/**
 * CSV data: numeric feature columns and one label column. Label values (any strings) become
 * class indices in sorted order: numerically when every label is a number, else as strings.
 * Parsing is csv-parse's (RFC 4180); messages give the file's real line numbers.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { checkLabels } from './labels.js';
import type { RawData } from './types.js';

/** One record and the file line it ends on (1-based; blank lines counted). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** The longest header name shown in a message; longer means the first line is not a header. */
const MAX_NAME = 64;

/** Splits CSV text into records (RFC 4180 quoting; CRLF or LF; blank lines skipped). */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  try {
    const rows = parse(text, { skip_empty_lines: true, relax_column_count: true, info: true, bom: true, record_delimiter: ['\r\n', '\n'] }) as unknown as { record: string[]; info: { lines: number } }[];
    return rows.map((r) => ({ fields: r.record, line: r.info.lines }));
  } catch (error) {
    const at = (error as { lines?: unknown }).lines;
    const where = typeof at === 'number' ? `${file}:${at}` : file;
    // csv-parse's messages may quote the input; say only what kind of problem it is.
    const code = (error as { code?: unknown }).code;
    throw new Error(`${where}: not valid CSV (${typeof code === 'string' ? code : 'parse error'}; fields with commas or quotes are written in "double quotes")`);
  }
}

/** Splits CSV text into rows of fields (blank lines skipped). */
export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text, 'csv').map((r) => r.fields);
}

/** Reads a text file, refusing one that is binary (without echoing any of it). */
export function readTextFile(path: string, what: string): string {
  const bytes = readFileSync(path);
  if (bytes.includes(0)) throw new Error(`${path}: is not a text file (${what} is a CSV file of numbers)`);
  return bytes.toString('utf8');
}

/** The header's names, fit to show (short, printable), or null when they don't look like a header. */
function showableNames(names: readonly string[]): string[] | null {
  const ok = names.length >= 2 && names.every((n) => n.trim().length <= MAX_NAME && !/[\p{Cc}]/u.test(n));
  return ok ? names.map((n) => n.trim()) : null;
}

function headerNames(first: CsvRecord, path: string): string[] {
  const names = showableNames(first.fields);
  if (names === null) throw new Error(`${path}: line ${first.line} does not look like a header (column names of at most ${MAX_NAME} characters); is this the data file?`);
  return names;
}

/**
 * Loads a CSV file. `label` names the label column (with a header row) or, without one, is
 * its 0-based index; null means the last column.
 */
export function loadCsv(path: string, label: string | null, header: boolean): RawData {
  const records = parseCsvRecords(readTextFile(path, 'data.path'), path);
  const first = header ? records.shift() : undefined;
  if (records.length === 0) throw new Error(`${path}: no data rows`);
  const width = (first ?? records[0]!).fields.length;
  if (width < 2) throw new Error(`${path}: is not a CSV of features and a label (its ${header ? 'header' : 'first row'} has a single column, no commas)`);
  const names = first === undefined ? undefined : headerNames(first, path);
  let labelCol = width - 1;
  if (label !== null) {
    labelCol = names !== undefined ? names.indexOf(label) : Number(label);
    if (!Number.isInteger(labelCol) || labelCol < 0 || labelCol >= width) {
      const known = names !== undefined ? ` (columns: ${names.join(', ')})` : ` (${width} columns; without a header, label is a 0-based column index)`;
      throw new Error(`${path}: label column '${label}' not found${known}`);
    }
  }
  const features = width - 1;
  const x = new Float32Array(records.length * features);
  const labels: string[] = [];
  records.forEach(({ fields, line }, r) => {
    if (fields.length !== width) throw new Error(`${path}:${line}: expected ${width} fields, got ${fields.length}`);
    let k = 0;
    fields.forEach((field, c) => {
      if (c === labelCol) {
        labels.push(field.trim());
        return;
      }
      const v = Number(field);
      if (field.trim() === '' || !Number.isFinite(v)) {
        const col = names !== undefined ? `column '${names[c]}'` : `column ${c}`;
        // A short value helps find the cell; a long one is not echoed (it may not be data).
        const shown = field.length <= 16 ? `: ${JSON.stringify(field)}` : ` (${field.length} characters)`;
        throw new Error(`${path}:${line}: ${col} is not a number${shown}`);
      }
      x[r * features + k++] = v;
    });
  });
  const classNames = checkLabels(labels, `${path}: the label column${names === undefined ? '' : ` '${names[labelCol]}'`}`);
  const index = new Map(classNames.map((n, i) => [n, i]));
  const y = Int32Array.from(labels, (l) => index.get(l)!);
  return { x, y, n: records.length, features, imageShape: null, classNames };
}
