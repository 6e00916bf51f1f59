import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { CsvParser, readCsvFile } from './csv-stream.ts';
import { makeTempDir, writeText } from './test-fixtures.ts';

function parse(text: string, chunk = text.length, options = {}): { fields: string[]; line: number; error: string | null }[] {
  const p = new CsvParser(options);
  const out = [];
  for (let i = 0; i < text.length; i += Math.max(1, chunk)) out.push(...p.push(text.slice(i, i + Math.max(1, chunk))));
  out.push(...p.end());
  return out;
}

test('plain rows, empty fields, no trailing newline', () => {
  assert.deepEqual(parse('a,b,c\n1,,3\n,,\nx'), [
    { fields: ['a', 'b', 'c'], line: 1, error: null },
    { fields: ['1', '', '3'], line: 2, error: null },
    { fields: ['', '', ''], line: 3, error: null },
    { fields: ['x'], line: 4, error: null },
  ]);
});

test('quotes: separators, doubled quotes, newlines inside quotes, and line numbers after them', () => {
  const text = 'name,box\n"a,b","say ""hi"""\n"multi\nline\r\nfield",2\nlast,1\n';
  const want = [
    { fields: ['name', 'box'], line: 1, error: null },
    { fields: ['a,b', 'say "hi"'], line: 2, error: null },
    { fields: ['multi\nline\r\nfield', '2'], line: 3, error: null },
    { fields: ['last', '1'], line: 6, error: null },
  ];
  assert.deepEqual(parse(text), want);
  // Every chunking gives the same records (state carried across chunk edges, CRLF split included).
  for (const chunk of [1, 2, 3, 5, 7]) assert.deepEqual(parse(text, chunk), want, `chunk ${chunk}`);
});

test('CRLF and lone CR line ends, BOM, blank lines skipped but counted', () => {
  const text = '\uFEFFh1,h2\r\n1,2\r\n\r\n3,4\r5,6';
  const want = [
    { fields: ['h1', 'h2'], line: 1, error: null },
    { fields: ['1', '2'], line: 2, error: null },
    { fields: ['3', '4'], line: 4, error: null },
    { fields: ['5', '6'], line: 5, error: null },
  ];
  assert.deepEqual(parse(text), want);
  for (const chunk of [1, 2, 4]) assert.deepEqual(parse(text, chunk), want, `chunk ${chunk}`);
});

test('bad quoting is reported on its line and parsing resumes on the next line', () => {
  const rows = parse('a,b\n1,x"y\n"p"q,2\n3,4\n');
  assert.equal(rows.length, 4);
  assert.equal(rows[1].line, 2);
  assert.match(rows[1].error!, /quote inside an unquoted field \(field 2\)/);
  assert.equal(rows[2].line, 3);
  assert.match(rows[2].error!, /text after a closing quote \(field 1\)/);
  assert.deepEqual(rows[3], { fields: ['3', '4'], line: 4, error: null });
});

test('an unterminated quote: at end of input, or at end of line when quoted newlines are off', () => {
  const atEnd = parse('a\n"open,1\n2\n');
  assert.equal(atEnd.length, 2);
  assert.equal(atEnd[1].line, 2);
  assert.match(atEnd[1].error!, /unterminated quoted field/);
  const strict = parse('a\n"open,1\n2\n', undefined, { quotedNewlines: false });
  assert.deepEqual(strict.map((r) => [r.line, r.error === null]), [[1, true], [2, false], [3, true]]);
  assert.deepEqual(strict[2].fields, ['2']);
});

test('readCsvFile streams a file larger than one chunk with correct line numbers and byte progress', async () => {
  const { dir, cleanup } = makeTempDir('csv');
  try {
    const lines = ['id,text'];
    for (let i = 0; i < 5000; i++) lines.push(i === 2500 ? `${i},"two\nlines"` : `${i},row number ${i} ${'x'.repeat(20)}`);
    const path = join(dir, 'big.csv');
    writeText(path, lines.join('\n') + '\n');
    let n = 0;
    let lastBytes = 0;
    for await (const r of readCsvFile(path)) {
      if (r.fields[0] === '2501') assert.equal(r.line, 2504); // header + 2501 rows + the extra physical line
      if (r.fields[0] === '2500') assert.equal(r.fields[1], 'two\nlines');
      assert.ok(r.bytesRead >= lastBytes);
      lastBytes = r.bytesRead;
      n++;
    }
    assert.equal(n, 5001);
    assert.ok(lastBytes > 1 << 16, 'more than one chunk read');
  } finally {
    cleanup();
  }
});
