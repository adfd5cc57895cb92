/**
 * Data files for `data:` sources: CSV with a header row (RFC 4180 quoting, read by
 * csv-parse; `,` `;` or tab, whichever splits the header row into most fields, quotes
 * respected) or JSON (an array of objects). Every value becomes a string. Read when
 * the scenario is loaded; the plan deals the rows to the workers.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CsvError, parse, type Options } from 'csv-parse/sync';
import { LoadctlError } from '../errors.js';

export class DataFileError extends LoadctlError {
  declare readonly code: 'E_DATA_FILE';
  constructor(message: string) {
    super('E_DATA_FILE', message, 2);
    this.name = 'DataFileError';
  }
}

const DELIMITERS = [',', ';', '\t'] as const;

/** Quotes inside unquoted fields are kept as text; rows are checked against the header here (clearer messages). */
const CSV: Options = { bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: false };

function readCsv(text: string, o: Options): string[][] {
  try {
    return parse(text, { ...CSV, ...o }) as string[][];
  } catch (e) {
    if (e instanceof CsvError) throw new DataFileError(e.code === 'CSV_QUOTE_NOT_CLOSED' ? `unterminated quoted field (${e.message})` : e.message);
    throw e;
  }
}

/** The delimiter that splits the header row (quotes respected) into most fields; ties go to the earlier of , ; tab. */
function sniffDelimiter(text: string): string {
  let best: string = DELIMITERS[0];
  let most = 0;
  for (const d of DELIMITERS) {
    let fields = 0;
    try {
      fields = readCsv(text, { delimiter: d, to: 1 })[0]?.length ?? 0;
    } catch {
      // the header does not read with this delimiter (e.g. a quoted field followed by another delimiter)
    }
    if (fields > most) [best, most] = [d, fields];
  }
  return best;
}

/** Parse CSV text with a header row into rows keyed by column name. */
export function parseCsv(text: string): Record<string, string>[] {
  const records = readCsv(text, { delimiter: sniffDelimiter(text) });
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
