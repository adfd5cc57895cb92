/**
 * Data files for `data:` sources: CSV with a header row (RFC 4180 quoting, `,` or `;`
 * or tab detected from the header) or JSON (an array of objects). Every value becomes
 * a string. Read when the scenario is loaded; workers get the rows.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

export class DataFileError extends Error {
  readonly code = 'E_DATA_FILE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}

/** Parse CSV text with a header row into rows keyed by column name. */
export function parseCsv(text: string): Record<string, string>[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delim = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let fieldStarted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === delim) {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      records.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
      fieldStarted = true;
    }
    i++;
  }
  if (quoted) throw new DataFileError('unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    records.push(row);
  }
  const nonEmpty = records.filter((r) => !(r.length === 1 && r[0].trim() === ''));
  if (nonEmpty.length === 0) throw new DataFileError('no header row');
  const header = nonEmpty[0].map((h) => h.trim());
  const dup = header.find((h, k) => header.indexOf(h) !== k);
  if (dup !== undefined) throw new DataFileError(`column "${dup}" appears twice in the header`);
  if (header.some((h) => h === '')) throw new DataFileError('empty column name in the header');
  return nonEmpty.slice(1).map((r, n) => {
    if (r.length !== header.length) throw new DataFileError(`row ${n + 2} has ${r.length} fields, the header has ${header.length}`);
    const o: Record<string, string> = {};
    header.forEach((h, k) => (o[h] = r[k]));
    return o;
  });
}

/** Rows of a JSON array of objects; values that are not strings are converted (objects as JSON). */
export function parseJsonRows(text: string): Record<string, string>[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DataFileError(`invalid JSON: ${(e as Error).message}`);
  }
  return normalizeRows(doc);
}

export function normalizeRows(doc: unknown): Record<string, string>[] {
  if (!Array.isArray(doc)) throw new DataFileError('expected an array of objects');
  return doc.map((r, n) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new DataFileError(`item ${n} is not an object`);
    const o: Record<string, string> = {};
    for (const [k, v] of Object.entries(r)) o[k] = typeof v === 'string' ? v : v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return o;
  });
}

/** Read a data file by extension (.csv/.tsv/.txt as CSV, .json as JSON). */
export function readDataFile(absPath: string): Record<string, string>[] {
  let text: string;
  try {
    text = readFileSync(absPath, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new DataFileError(err.code === 'ENOENT' ? `file not found: ${absPath}` : `cannot read ${absPath}: ${err.message}`);
  }
  const ext = extname(absPath).toLowerCase();
  const rows = ext === '.json' ? parseJsonRows(text) : parseCsv(text);
  if (rows.length === 0) throw new DataFileError(`${absPath} has no rows`);
  return rows;
}

/** Column names over all rows, in first-seen order. */
export function columnsOf(rows: Record<string, string>[]): Set<string> {
  const cols = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) cols.add(k);
  return cols;
}
