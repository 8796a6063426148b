import type { Scorer } from '../score/types';

export type LoadScorer = (dir?: string) => Promise<Scorer>;

export interface ReloadResult {
  ok: boolean;
  version: string;
  error?: string;
}

/**
 * The model in service. Requests read `current` once and use that scorer to the end, so a reload
 * never mixes two models in one answer. `reload()` loads the new model fully beside the old one
 * and swaps a single reference; if loading fails the old model stays and the error is returned.
 */
export class ModelHolder {
  private reloading: Promise<ReloadResult> | null = null;

  constructor(
    private scorer: Scorer,
    private readonly load: LoadScorer,
    private readonly dir: string | undefined,
    private readonly onSwap: (s: Scorer) => void = () => {},
  ) {}

  get current(): Scorer {
    return this.scorer;
  }

  /** Reload from the same folder. Concurrent calls share one load. */
  reload(): Promise<ReloadResult> {
    if (!this.reloading) {
      this.reloading = this.load(this.dir ?? this.scorer.dir)
        .then(
          (next) => {
            this.scorer = next;
            this.onSwap(next);
            return { ok: true, version: next.version };
          },
          (err: unknown) => ({ ok: false, version: this.scorer.version, error: err instanceof Error ? err.message : String(err) }),
        )
        .finally(() => {
          this.reloading = null;
        });
    }
    return this.reloading;
  }
}
