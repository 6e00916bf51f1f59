// Progress lines on stderr (stdout stays clean for --json). On a terminal a single line is
// redrawn; otherwise a line is printed at most every few seconds so logs stay readable.
export interface ProgressReporter {
  update(done: number, total: number | null, detail?: string): void;
  done(message?: string): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const tty = Boolean(stream.isTTY);
  const started = Date.now();
  let lastPrint = 0;
  const format = (done: number, total: number | null, detail?: string): string => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    let s = `${label}: ${done.toLocaleString('en-US')}`;
    if (total && total > 0) {
      const frac = Math.min(1, done / total);
      const width = 24;
      const filled = Math.round(frac * width);
      const eta = rate > 0 ? Math.max(0, (total - done) / rate) : NaN;
      s = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
      if (Number.isFinite(eta)) s += ` eta ${formatSeconds(eta)}`;
    }
    if (rate > 0) s += ` ${rate >= 100 ? Math.round(rate) : rate.toFixed(1)}/s`;
    if (detail) s += ` ${detail}`;
    return s;
  };
  return {
    update(done, total, detail) {
      const now = Date.now();
      if (tty) {
        if (now - lastPrint < 100) return;
        lastPrint = now;
        stream.write(`\r\x1b[2K${format(done, total, detail)}`);
      } else if (now - lastPrint >= 3000) {
        lastPrint = now;
        stream.write(`${format(done, total, detail)}\n`);
      }
    },
    done(message) {
      if (tty) stream.write('\r\x1b[2K');
      stream.write(`${label}: ${message ?? 'done'} (${formatSeconds((Date.now() - started) / 1000)})\n`);
    },
  };
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
