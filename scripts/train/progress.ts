// The live progress line (step, epoch, loss, learning rate, tokens/s, ETA) on a terminal, or plain
// periodic log lines when the output is not a terminal or the run is quiet.
import cliProgress from 'cli-progress';

export interface ProgressFields {
  readonly epoch: number;
  readonly loss: number;
  readonly lr: number;
  readonly tokensPerSecond: number;
}

export class TrainingProgress {
  private readonly bar: cliProgress.SingleBar | null;
  private lastPlain = 0;

  constructor(
    private readonly total: number,
    private readonly options: { quiet: boolean; stream?: NodeJS.WriteStream; plainEvery?: number },
  ) {
    const stream = options.stream ?? process.stderr;
    this.bar =
      !options.quiet && stream.isTTY
        ? new cliProgress.SingleBar(
            {
              stream,
              format: 'step {value}/{total} | epoch {epoch} | loss {loss} | lr {lr} | {tps} tok/s | ETA {eta_formatted}',
              etaBuffer: 50,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
  }

  start(step: number): void {
    this.bar?.start(this.total, step, { epoch: 0, loss: '-', lr: '-', tps: '-' });
  }

  update(step: number, f: ProgressFields): void {
    const payload = { epoch: f.epoch, loss: f.loss.toFixed(3), lr: f.lr.toExponential(2), tps: Math.round(f.tokensPerSecond) };
    if (this.bar) {
      this.bar.update(step, payload);
      return;
    }
    const every = this.options.plainEvery ?? 100;
    if (!this.options.quiet && step - this.lastPlain >= every) {
      this.lastPlain = step;
      this.print(`step ${step}/${this.total} epoch ${payload.epoch} loss ${payload.loss} lr ${payload.lr} ${payload.tps} tok/s`);
    }
  }

  /** A message above the live line (validation results, checkpoint saves). */
  print(message: string): void {
    if (this.bar) {
      (this.options.stream ?? process.stderr).write(`\r\x1b[2K${message}\n`);
      this.bar.render();
    } else if (!this.options.quiet) {
      (this.options.stream ?? process.stderr).write(`${message}\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
