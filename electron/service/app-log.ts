/**
 * The app's log file, for a user to attach to a bug report: errors, job starts and ends, the
 * engine runtime chosen. It lives in the user data folder (logs/affect-relearn.log) and rotates:
 * when a line would take the file past `maxBytes` it becomes .1 (the older ones move up to
 * .`keep`), so the log never grows without bound. Logging must never break the app: a failed
 * write is reported once on stderr and then ignored. With no file (null: tests) nothing is kept.
 */
import { appendFileSync, existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'info' | 'error';

export interface AppLogOptions {
  /** Rotate before the file would exceed this size (default 1 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the current one (default 3). */
  keep?: number;
  now?: () => Date;
}

export class AppLog {
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly now: () => Date;
  private failed = false;

  constructor(
    readonly file: string | null,
    options: AppLogOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.keep = options.keep ?? 3;
    this.now = options.now ?? (() => new Date());
  }

  info(message: string): void {
    this.write('info', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  write(level: LogLevel, message: string): void {
    // One line per entry: a multi-line message (a stack) is indented under its first line.
    if (this.file === null) return;
    const line = `${this.now().toISOString()} ${level.padEnd(5)} ${message.replace(/\r?\n/g, '\n    ')}\n`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const size = existsSync(this.file) ? statSync(this.file).size : 0;
      if (size > 0 && size + Buffer.byteLength(line) > this.maxBytes) this.rotate();
      appendFileSync(this.file, line);
    } catch (e) {
      if (this.failed) return;
      this.failed = true;
      process.stderr.write(`affect-relearn: cannot write the log ${this.file} (${e instanceof Error ? e.message : String(e)}); logging is off\n`);
    }
  }

  /** The last `maxBytes` of the current file ('' when nothing was logged yet), from a line start. */
  tail(maxBytes = 64 * 1024): string {
    if (this.file === null || !existsSync(this.file)) return '';
    const size = statSync(this.file).size;
    const start = Math.max(0, size - maxBytes);
    const buf = Buffer.alloc(size - start);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buf, 0, buf.length, start);
    } finally {
      closeSync(fd);
    }
    const text = buf.toString('utf8');
    return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
  }

  /** file.(keep-1) -> file.keep (the oldest is dropped), ..., file -> file.1. Renames only: no copy can be half written. */
  private rotate(): void {
    if (this.file === null) return;
    const oldest = `${this.file}.${this.keep}`;
    if (existsSync(oldest)) rmSync(oldest);
    for (let i = this.keep - 1; i >= 1; i--) {
      if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    renameSync(this.file, `${this.file}.1`);
  }
}
