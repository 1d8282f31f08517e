import type { Logger } from 'pino';
import { onBeforeLog } from '../lib/logger.ts';
import type { Progress } from './worker.ts';

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Unread bytes up to which a worker counts as caught up (a partial last line, a record on its way). */
export const CAUGHT_UP_BYTES = 1 << 20;

/** Whether the worker has read (nearly) everything its files hold. */
export function caughtUp(p: Progress): boolean {
  return p.bytesTotal - p.bytesDone <= CAUGHT_UP_BYTES;
}

/** Records/s over the samples of the last `windowMs`, and the ETA for the bytes still unread. */
export class RateMeter {
  private samples: { t: number; records: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  sample(p: Progress, now = Date.now()) {
    this.samples.push({ t: now, records: p.records, bytes: p.bytesDone });
    while (this.samples.length > 2 && now - this.samples[0].t > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const dt = (now - first.t) / 1000;
    const recordsPerSec = dt > 0 ? (p.records - first.records) / dt : 0;
    const bytesPerSec = dt > 0 ? (p.bytesDone - first.bytes) / dt : 0;
    const remaining = Math.max(0, p.bytesTotal - p.bytesDone);
    return { recordsPerSec, bytesPerSec, etaSeconds: bytesPerSec > 0 ? remaining / bytesPerSec : Number.NaN };
  }
}

export function renderBar(p: Progress, rate: ReturnType<RateMeter['sample']>, width = 30): string {
  const ratio = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 1;
  const filled = Math.round(ratio * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  return `${bar} ${(ratio * 100).toFixed(1)}% | ${p.records.toLocaleString('en-US')} records | ${Math.round(
    rate.recordsPerSec,
  ).toLocaleString(
    'en-US',
  )} rec/s | ${p.rejects} rejects | ETA ${ratio >= 1 ? '0s' : formatDuration(rate.etaSeconds)}`;
}

/**
 * A progress bar on a terminal; otherwise structured log lines every `everyMs` while something
 * changes, and every `idleEveryMs` while nothing does (a quiet MTA logged 8,600 identical lines a
 * day).
 */
export function createProgressReporter(
  logger: Logger,
  tty: boolean,
  everyMs = 10_000,
  idleEveryMs = 600_000,
) {
  const meter = new RateMeter();
  let lastLog = 0;
  let lastDraw = 0;
  let lastState = '';
  // The bar is drawn without a line break: a log line written after it (the same terminal) started
  // at its end. The bar clears itself first, and is drawn again at the next update.
  let barShown = false;
  if (tty)
    onBeforeLog(() => {
      if (!barShown) return;
      process.stderr.write('\r\u001b[K');
      barShown = false;
      lastDraw = 0;
    });
  return {
    update(p: Progress) {
      const now = Date.now();
      if (tty) {
        if (now - lastDraw < 200) return;
        lastDraw = now;
        process.stderr.write(`\r${renderBar(p, meter.sample(p, now))}\u001b[K`);
        barShown = true;
      } else if (now - lastLog >= everyMs) {
        const state = `${p.records} ${p.rejects} ${p.files} ${p.bytesDone} ${p.bytesTotal}`;
        if (state === lastState && now - lastLog < idleEveryMs) return;
        lastState = state;
        lastLog = now;
        const r = meter.sample(p, now);
        logger.info(
          {
            records: p.records,
            rejects: p.rejects,
            recordsPerSec: Math.round(r.recordsPerSec),
            lagBytes: Math.max(0, p.bytesTotal - p.bytesDone),
            files: p.files,
          },
          'ingest progress',
        );
      }
    },
    finish(p: Progress) {
      if (!tty) return;
      onBeforeLog(null);
      barShown = false;
      process.stderr.write(`\r${renderBar(p, meter.sample(p))}\u001b[K\n`);
    },
  };
}
