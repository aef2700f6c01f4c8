// metrics.jsonl: one JSON object per line ({step, kind, ...figures}), readable by any plotting tool.
// On resume, lines past the checkpoint's step are dropped so the log never holds two histories.
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface MetricsRecord {
  readonly step: number;
  readonly kind: 'train' | 'valid' | 'summary';
  readonly [figure: string]: unknown;
}

export class MetricsLog {
  constructor(readonly path: string) {}

  append(record: MetricsRecord): void {
    appendFileSync(this.path, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  }

  read(): MetricsRecord[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as MetricsRecord];
        } catch {
          return []; // a line cut by a kill mid-write
        }
      });
  }

  /** Keeps the records up to `step` (the checkpoint a run resumes from). */
  truncateAfter(step: number): void {
    if (!existsSync(this.path)) return;
    const kept = this.read().filter((r) => r.step <= step);
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    renameSync(tmp, this.path);
  }
}
