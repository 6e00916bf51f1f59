/**
 * A small streaming CSV parser (RFC 4180: quoted fields, doubled quotes, quoted newlines, CRLF
 * or LF or CR line ends, a leading BOM) that reports the 1-based line on which every record
 * starts. Dataset files reach hundreds of MB (AffectNet's training.csv), so it works chunk by
 * chunk and never holds more than the current record. A malformed record (a quote inside an
 * unquoted field, text after a closing quote, an unterminated quote) comes back with an
 * `error` instead of stopping the parse; parsing resumes at the next line, so one bad row
 * costs one row.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';

export interface CsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** Why the record is malformed, or null. Fields are then partial. */
  error: string | null;
}

export interface CsvParserOptions {
  /**
   * Allow newlines inside quoted fields (RFC 4180). With false, a newline inside quotes ends
   * the record with an "unterminated quote" error; dataset readers use that so one stray
   * quote cannot swallow the rest of a large file into a single field.
   */
  quotedNewlines?: boolean;
  separator?: string;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'skipToEol';

export class CsvParser {
  private readonly quotedNewlines: boolean;
  private readonly sep: number;
  private state: State = 'fieldStart';
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private error: string | null = null;
  private lastWasCR = false;
  private first = true;

  constructor(options: CsvParserOptions = {}) {
    this.quotedNewlines = options.quotedNewlines ?? true;
    const sep = options.separator ?? ',';
    if (sep.length !== 1) throw new Error(`CSV separator must be one character, got "${sep}"`);
    this.sep = sep.charCodeAt(0);
  }

  /** Feed the next chunk of text; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let s = chunk;
    if (this.first) {
      this.first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    const n = s.length;
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      // A CRLF pair is one line end; the LF after a CR that already ended the line is dropped.
      if (this.lastWasCR) {
        this.lastWasCR = false;
        if (c === LF) {
          if (this.state === 'quoted') this.field += '\n';
          i++;
          continue;
        }
      }
      switch (this.state) {
        case 'fieldStart':
          if (c === QUOTE) {
            this.state = 'quoted';
            i++;
          } else if (c === this.sep) {
            this.fields.push('');
            i++;
          } else if (c === LF || c === CR) {
            this.endLine(c, out, true);
            i++;
          } else {
            this.state = 'unquoted';
          }
          break;
        case 'unquoted': {
          // Fast path: copy the run of ordinary characters at once.
          let j = i;
          while (j < n) {
            const d = s.charCodeAt(j);
            if (d === this.sep || d === LF || d === CR || d === QUOTE) break;
            j++;
          }
          this.field += s.slice(i, j);
          i = j;
          if (i >= n) break;
          const d = s.charCodeAt(i);
          if (d === this.sep) {
            this.fields.push(this.field);
            this.field = '';
            this.state = 'fieldStart';
          } else if (d === QUOTE) {
            this.fail(`quote inside an unquoted field (field ${this.fields.length + 1})`);
          } else {
            this.fields.push(this.field);
            this.field = '';
            this.endLine(d, out, false);
          }
          i++;
          break;
        }
        case 'quoted': {
          let j = i;
          while (j < n) {
            const d = s.charCodeAt(j);
            if (d === QUOTE || d === LF || d === CR) break;
            j++;
          }
          this.field += s.slice(i, j);
          i = j;
          if (i >= n) break;
          const d = s.charCodeAt(i);
          if (d === QUOTE) {
            this.state = 'quoteInQuoted';
          } else if (!this.quotedNewlines) {
            this.error = `unterminated quoted field (field ${this.fields.length + 1})`;
            this.fields.push(this.field);
            this.field = '';
            this.endLine(d, out, false);
          } else {
            this.field += d === CR ? '\r' : '\n';
            this.line++;
            if (d === CR) this.lastWasCR = true;
          }
          i++;
          break;
        }
        case 'quoteInQuoted':
          if (c === QUOTE) {
            this.field += '"';
            this.state = 'quoted';
            i++;
          } else if (c === this.sep) {
            this.fields.push(this.field);
            this.field = '';
            this.state = 'fieldStart';
            i++;
          } else if (c === LF || c === CR) {
            this.fields.push(this.field);
            this.field = '';
            this.endLine(c, out, false);
            i++;
          } else {
            this.fail(`text after a closing quote (field ${this.fields.length + 1})`);
          }
          break;
        case 'skipToEol':
          if (c === LF || c === CR) this.endLine(c, out, false);
          i++;
          break;
      }
    }
    return out;
  }

  /** Signal the end of input; returns the last record, if any. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.state === 'quoted') {
      this.error = `unterminated quoted field (field ${this.fields.length + 1})`;
      this.fields.push(this.field);
    } else if (this.state === 'unquoted' || this.state === 'quoteInQuoted') {
      this.fields.push(this.field);
    } else if (this.state === 'fieldStart' && this.fields.length > 0) {
      this.fields.push('');
    }
    if (this.fields.length > 0 || this.error) out.push({ fields: this.fields, line: this.recordLine, error: this.error });
    this.fields = [];
    this.field = '';
    this.error = null;
    this.state = 'fieldStart';
    return out;
  }

  private fail(message: string): void {
    this.error = message;
    this.fields.push(this.field);
    this.field = '';
    this.state = 'skipToEol';
  }

  /** Close the record at a line end. An empty line (no fields at all) yields nothing. */
  private endLine(c: number, out: CsvRecord[], atFieldStart: boolean): void {
    if (atFieldStart && this.fields.length > 0) this.fields.push('');
    if (this.fields.length > 0 || this.error) out.push({ fields: this.fields, line: this.recordLine, error: this.error });
    this.fields = [];
    this.error = null;
    this.state = 'fieldStart';
    this.line++;
    this.recordLine = this.line;
    if (c === CR) this.lastWasCR = true;
  }
}

/**
 * A copy of `s` that shares no memory with the chunk it was parsed from. V8 represents long
 * substrings as views into their parent string, so a field kept for the whole import (a key in
 * a duplicate check) would otherwise pin its entire 64 kB chunk: measured on an AffectNet-sized
 * file, that retained ~300 MB.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

/** A record plus how far into the file the reader has got (for progress estimates). */
export interface CsvFileRecord extends CsvRecord {
  bytesRead: number;
}

/** Stream the records of a CSV file. I/O errors (missing file) are thrown to the caller. */
export async function* readCsvFile(path: string, options: CsvParserOptions = {}): AsyncGenerator<CsvFileRecord> {
  const parser = new CsvParser(options);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream) {
      const bytesRead = stream.bytesRead;
      for (const r of parser.push(chunk as string)) yield { ...r, bytesRead };
    }
    for (const r of parser.end()) yield { ...r, bytesRead: stream.bytesRead };
  } finally {
    stream.destroy();
  }
}

/** The header fields of a CSV file (its first line), trimmed and lower-cased; [] when unreadable. */
export function csvHeader(path: string): string[] {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const cut = text.search(/\r|\n/);
    const parser = new CsvParser({ quotedNewlines: false });
    const recs = [...parser.push(cut >= 0 ? text.slice(0, cut) : text), ...parser.end()];
    return recs.length > 0 ? recs[0].fields.map((f) => f.trim().toLowerCase()) : [];
  } catch {
    return [];
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
