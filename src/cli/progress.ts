import type { RunEvent } from '../engine/events.ts';

/**
 * One status line on a terminal (stderr), redrawn at most every 200 ms:
 * records read/written/rejected, records/s and, when the source reports a total, an ETA.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): { onEvent: (e: RunEvent) => void; done: () => void } {
  if (!stream.isTTY) return { onEvent: () => {}, done: () => {} };
  let total: number | undefined;
  let last = 0;
  let started = Date.now();
  let line = '';
  const draw = (e: Extract<RunEvent, { type: 'progress' }>) => {
    const k = e.counts;
    const secs = Math.max(0.001, e.elapsedMs / 1000);
    const rate = k.read / secs;
    const pct = total ? Math.min(100, (100 * k.read) / total) : undefined;
    const eta = total && rate > 0 ? Math.max(0, (total - k.read) / rate) : undefined;
    const bar = pct !== undefined ? `[${'#'.repeat(Math.round(pct / 5)).padEnd(20, '.')}] ${pct.toFixed(0).padStart(3)}% ` : '';
    line = `${bar}read ${k.read} · written ${k.created + k.updated} · skipped ${k.skipped} · rejected ${k.rejected} · ${Math.round(rate)} rec/s${eta !== undefined ? ` · ETA ${fmt(eta)}` : ''}`;
    stream.write(`\r\x1b[2K${line}`);
  };
  return {
    onEvent(e) {
      if (e.type === 'run.started') started = e.at;
      if (e.type === 'page.read' && e.totalCount) total = e.totalCount;
      if (e.type === 'progress' && Date.now() - last > 200) {
        last = Date.now();
        draw(e);
      }
      void started;
    },
    done() {
      if (line) stream.write('\r\x1b[2K');
    },
  };
}

function fmt(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.round(s % 60)).padStart(2, '0')}`;
}
