import { describe, expect, it } from 'vitest';
import { DEFAULT_KEYWORDS, matchKeyword, normaliseKeyword } from './keywords.js';
import { parseCsv } from './parse-csv.js';
import { readCsvImport, readJsonImport } from './read-import.js';
import { readSubscription } from './subscription.js';

describe('keywords', () => {
  it('match whole messages, ignoring case, width and surrounding punctuation', () => {
    for (const text of ['STOP', 'stop', ' Stop! ', 'ＳＴＯＰ', '停止', '配信停止。', '「配信停止」', 'opt  out']) {
      expect(matchKeyword(text, DEFAULT_KEYWORDS)?.action, text).toBe('opt_out');
    }
    for (const text of ['START', 'start.', '配信開始', '開始']) expect(matchKeyword(text, DEFAULT_KEYWORDS)?.action, text).toBe('opt_in');
    for (const text of ['Thanks, 配信停止 not needed 😀', 'please stop the car', 'STOPPED', '', '   ', 'x'.repeat(500)]) {
      expect(matchKeyword(text, DEFAULT_KEYWORDS), text).toBeUndefined();
    }
    expect(matchKeyword('停止', DEFAULT_KEYWORDS)).toMatchObject({ language: 'ja', keyword: '停止' });
    expect(normaliseKeyword('  ｓｔｏｐ　ａｌｌ ')).toBe('STOP ALL');
  });

  it('use a tenant’s own lists and replies', () => {
    const own = [{ language: 'fr', optOut: ['ARRET'], optIn: ['REPRENDRE'], optOutReply: 'Vous ne recevrez plus de messages.', optInReply: null }];
    expect(matchKeyword('arret', own)).toEqual({ action: 'opt_out', language: 'fr', keyword: 'ARRET', reply: 'Vous ne recevrez plus de messages.' });
    expect(matchKeyword('STOP', own)).toBeUndefined();
  });
});

describe('import reading', () => {
  it('parses quoted CSV with CRLF, BOM, semicolons and blank lines', () => {
    expect(parseCsv('\uFEFFphone,name\r\n"+81 90-1234-5678","Sato, ""Ken"""\r\n\r\n15550100001,"two\nlines"\n')).toEqual([
      { line: 1, fields: ['phone', 'name'] },
      { line: 2, fields: ['+81 90-1234-5678', 'Sato, "Ken"'] },
      { line: 4, fields: ['15550100001', 'two\nlines'] },
    ]);
    expect(parseCsv('phone;subscription\n+4915112345678;FALSE')).toEqual([
      { line: 1, fields: ['phone', 'subscription'] },
      { line: 2, fields: ['+4915112345678', 'FALSE'] },
    ]);
  });

  it('reads subscription values leniently and reports the rest', () => {
    expect(readSubscription('TRUE')).toEqual({ kind: 'set', value: true });
    expect(readSubscription(' no ')).toEqual({ kind: 'set', value: false });
    expect(readSubscription('')).toEqual({ kind: 'keep' });
    expect(readSubscription(undefined)).toEqual({ kind: 'keep' });
    expect(readSubscription(null)).toEqual({ kind: 'set', value: null });
    expect(readSubscription('unset')).toEqual({ kind: 'set', value: null });
    expect(readSubscription('maybe')).toEqual({ kind: 'invalid' });
    expect(readSubscription(3)).toEqual({ kind: 'invalid' });
  });

  it('normalises numbers, numbers rows from 1, reports bad and superseded rows', () => {
    const read = readCsvImport(
      'Phone,Subscription,Name\n+81 90-1234-5678,TRUE,Sato\nnot a number,TRUE,\n090-1234-5678,FALSE\n+1 555 010 0002,perhaps\n+1 555 010 0003,,x,extra\n',
      '81',
    );
    expect(read.total).toBe(5);
    expect(read.rows).toEqual([{ row: 3, waId: '819012345678', subscription: false, name: null, proof: null }]);
    expect(read.errors.map((e) => e.row)).toEqual([1, 2, 4, 5]);
    expect(read.errors[0]!.error).toMatch(/Superseded by row 3/);
    expect(read.errors[1]!.error).toMatch(/is not a phone number/);
    expect(read.errors[2]!.error).toMatch(/subscription/);
    expect(read.errors[3]!.error).toMatch(/more field/);

    const json = readJsonImport({ contacts: [{ wa_id: '15550100004', subscription: false }, 'x', { phone: 15550100005 }] });
    expect(json.rows).toEqual([
      { row: 1, waId: '15550100004', subscription: false, name: null, proof: null },
      { row: 3, waId: '15550100005', subscription: undefined, name: null, proof: null },
    ]);
    expect(json.errors).toEqual([{ row: 2, error: 'Each contact must be a JSON object.' }]);
    expect(() => readCsvImport('name,subscription\nx,TRUE')).toThrow(/no number column/);
    expect(() => readJsonImport({ nope: [] })).toThrow(/JSON array/);
  });
});
