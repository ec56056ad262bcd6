/**
 * A split file assigns each data row to train, val or test: one word per line in row order
 * (`train`), or `row,split` pairs in any order (row = 0-based data row), either with an
 * optional header line (`split`, `row,split`).
 */
import { parseCsvRecords, readTextFile, type CsvRecord } from './csv.js';
import type { SplitIndices, SplitName } from './split.js';

const SPLITS: readonly string[] = ['train', 'val', 'test'];

function isHeader(record: CsvRecord): boolean {
  return record.fields.every((f) => !SPLITS.includes(f.trim()) && !/^\s*\d+\s*$/.test(f));
}

/** Reads a split file for data of `rows` rows. */
export function readSplitFile(path: string, rows: number): SplitIndices {
  const records = parseCsvRecords(readTextFile(path, 'split_file'), path);
  let columns = { row: -1, split: 0 };
  const head = records[0];
  if (head !== undefined && isHeader(head)) {
    records.shift();
    const names = head.fields.map((f) => f.trim().toLowerCase());
    if (names.length === 2) columns = { row: names.indexOf('split') === 0 ? 1 : 0, split: names.indexOf('split') === 0 ? 0 : 1 };
  } else if (head !== undefined && head.fields.length === 2) columns = { row: 0, split: 1 };
  const width = columns.row === -1 ? 1 : 2;
  const form = width === 1 ? 'one line per row: train, val or test' : 'one `row,split` line per row, rows numbered from 0';
  if (records.length !== rows) throw new Error(`${path}: has ${records.length} rows but the data has ${rows} (${form})`);
  const assigned = new Int8Array(rows).fill(-1);
  const out: Record<SplitName, number[]> = { train: [], val: [], test: [] };
  records.forEach(({ fields, line }, i) => {
    if (fields.length !== width) throw new Error(`${path}:${line}: expected ${width} field${width === 1 ? '' : 's'} (${form}), got ${fields.length}`);
    const name = fields[columns.split]!.trim();
    if (!SPLITS.includes(name)) throw new Error(`${path}:${line}: expected train, val or test${name.length <= 16 ? `, got ${JSON.stringify(name)}` : ''}`);
    const row = columns.row === -1 ? i : Number(fields[columns.row]!.trim());
    if (!Number.isInteger(row) || row < 0 || row >= rows) throw new Error(`${path}:${line}: row must be a data row number from 0 to ${rows - 1}`);
    if (assigned[row] !== -1) throw new Error(`${path}:${line}: row ${row} is assigned a second time`);
    assigned[row] = 1;
    out[name as SplitName].push(row);
  });
  if (out.train.length === 0) throw new Error(`${path}: no row is assigned to train`);
  const sorted = (a: number[]): Int32Array => Int32Array.from(a).sort();
  return { train: sorted(out.train), val: sorted(out.val), test: sorted(out.test) };
}
