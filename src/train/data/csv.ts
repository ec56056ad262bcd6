/**
 * CSV data: numeric feature columns and one label column. Label values (any strings) become
 * class indices in sorted order: numerically when every label is a number, else as strings.
 */
import { readFileSync } from 'node:fs';
import type { RawData } from './types.js';

/** Splits CSV text into rows of fields (RFC 4180 quoting; CRLF or LF; blank lines skipped). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = (): void => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0]!.trim() === '')) rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r') field += c;
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Class names in sorted order: numeric order when every label parses as a number. */
function sortedLabels(labels: string[]): string[] {
  const unique = [...new Set(labels)];
  const numeric = unique.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return numeric ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort();
}

/**
 * Loads a CSV file. `label` names the label column (with a header row) or, without one, is
 * its 0-based index; null means the last column.
 */
export function loadCsv(path: string, label: string | null, header: boolean): RawData {
  const rows = parseCsv(readFileSync(path, 'utf8'));
  const names = header ? rows.shift() : undefined;
  if (rows.length === 0) throw new Error(`${path}: no data rows`);
  const width = rows[0]!.length;
  let labelCol = width - 1;
  if (label !== null) {
    labelCol = names !== undefined ? names.map((n) => n.trim()).indexOf(label) : Number(label);
    if (!Number.isInteger(labelCol) || labelCol < 0 || labelCol >= width) {
      const known = names !== undefined ? ` (columns: ${names.join(', ')})` : ` (${width} columns; without a header, label is a 0-based column index)`;
      throw new Error(`${path}: label column '${label}' not found${known}`);
    }
  }
  const features = width - 1;
  if (features < 1) throw new Error(`${path}: needs at least one feature column besides the label`);
  const x = new Float32Array(rows.length * features);
  const labels: string[] = [];
  rows.forEach((row, r) => {
    const line = r + (header ? 2 : 1);
    if (row.length !== width) throw new Error(`${path}:${line}: expected ${width} fields, got ${row.length}`);
    let k = 0;
    row.forEach((field, c) => {
      if (c === labelCol) {
        labels.push(field.trim());
        return;
      }
      const v = Number(field);
      if (field.trim() === '' || !Number.isFinite(v)) {
        const col = names !== undefined ? `column '${names[c]}'` : `column ${c}`;
        throw new Error(`${path}:${line}: ${col} is not a number: ${JSON.stringify(field)}`);
      }
      x[r * features + k++] = v;
    });
  });
  const classNames = sortedLabels(labels);
  if (classNames.length < 2) throw new Error(`${path}: the label column has a single value (${classNames[0]}); need at least 2 classes`);
  const index = new Map(classNames.map((n, i) => [n, i]));
  const y = Int32Array.from(labels, (l) => index.get(l)!);
  return { x, y, n: rows.length, features, imageShape: null, classNames };
}
