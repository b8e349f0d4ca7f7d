import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv } from './csv';

describe('csv preview', () => {
  it('detects the delimiter the header uses most, outside quotes', () => {
    expect(detectDelimiter('Email;First Name;Last Name')).toBe(';');
    expect(detectDelimiter('"a,b";c;d')).toBe(';');
    expect(detectDelimiter('Email\tName')).toBe('\t');
    expect(detectDelimiter('Email')).toBe(',');
  });

  it('reads quoted cells, doubled quotes, line breaks in quotes and a byte order mark', () => {
    const text = '\ufeffEmail,Name,Note\r\nada@example.com,"Lovelace, Ada","said ""hi""\nthen left"\r\n\r\ngrace@example.com,Grace,\r\n';
    expect(parseCsv(text, 10)).toEqual([
      ['Email', 'Name', 'Note'],
      ['ada@example.com', 'Lovelace, Ada', 'said "hi"\nthen left'],
      ['grace@example.com', 'Grace', ''],
    ]);
  });

  it('stops after the rows asked for and keeps a last line without a newline', () => {
    expect(parseCsv('a\n1\n2\n3', 2)).toEqual([['a'], ['1']]);
    expect(parseCsv('a;b\n1;2', 5)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});
