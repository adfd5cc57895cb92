import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/scenario/data.js';

describe('CSV data files (csv-parse)', () => {
  it('picks the delimiter from the header with quotes respected', () => {
    // split naively, the header has two "," fields and two ";" fields; read as CSV it is two ";" fields
    expect(parseCsv('"name, full";age\n"Ann, B";3\n')).toEqual([{ 'name, full': 'Ann, B', age: '3' }]);
    expect(parseCsv('"a;b",c\n1,2\n')).toEqual([{ 'a;b': '1', c: '2' }]);
    expect(parseCsv('id\tname\n1\tann\n')).toEqual([{ id: '1', name: 'ann' }]);
  });

  it('reads RFC 4180 quoting: doubled quotes, delimiters and newlines inside quotes, CRLF, BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x ""y""","1,\n2"\r\n')).toEqual([{ a: 'x "y"', b: '1,\n2' }]);
  });

  it('keeps a quote inside an unquoted field as text and skips blank lines', () => {
    expect(parseCsv('a,b\n5" screen,ok\n\n   \n1,2\n')).toEqual([
      { a: '5" screen', b: 'ok' },
      { a: '1', b: '2' },
    ]);
  });

  it('says what is wrong with a bad file', () => {
    expect(() => parseCsv('a,b\n"1,2\n')).toThrow(/unterminated quoted field/);
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow('row 3 has 1 fields, the header has 2');
    expect(() => parseCsv('a,a\n1,2\n')).toThrow('column "a" appears twice in the header');
    expect(() => parseCsv('a,,b\n1,2,3\n')).toThrow('empty column name in the header');
    expect(() => parseCsv('\n\n')).toThrow('no header row');
  });
});
