/**
 * A one-line progress display on stderr, drawn only when stderr is a terminal; silent in pipes.
 * Redraws at most every 100 ms.
 */
export class Progress {
  private last = 0;
  private readonly started = Date.now();
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly enabled: boolean,
    private readonly label: string,
  ) {}

  /** done/total in units (total may be unknown); `extra` is appended (e.g. loss). */
  update(done: number, total?: number, extra = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && !(total && done >= total)) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    let line = `${this.label} ${done.toLocaleString('en')}`;
    if (total) {
      const frac = Math.min(1, done / total);
      const width = 24;
      const fill = Math.round(frac * width);
      const left = rate > 0 ? (total - done) / rate : 0;
      line = `${this.label} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${formatRate(rate)} ${formatDuration(left)} left`;
    } else if (rate > 0) {
      line += ` ${formatRate(rate)}`;
    }
    if (extra) line += ` ${extra}`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  done(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}

function formatRate(r: number): string {
  return r >= 100 ? `${Math.round(r).toLocaleString('en')}/s` : `${r.toFixed(1)}/s`;
}

export function formatDuration(s: number): string {
  if (!isFinite(s) || s < 0) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
