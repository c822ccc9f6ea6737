/**
 * Groups concurrent requests into batches: the first request after a quiet moment goes at once (no added
 * latency under light load); while batches are in flight, newcomers wait up to `windowMs` or until `maxBatch`
 * of them are queued, and then travel together in one batch (one database round trip for all). Each caller
 * gets its own result. If a whole batch fails (not a refusal, which is a result, but an error), each of its
 * requests is tried again alone, so that one poisoned request fails only its own caller.
 */
export interface CoalescerOptions {
  readonly windowMs: number;
  readonly maxBatch: number;
  readonly maxInFlight: number;
}

export interface CoalescerStats {
  readonly requests: number;
  readonly batches: number;
  readonly largestBatch: number;
}

interface Waiting<T, R> {
  readonly item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class Coalescer<T, R> {
  private queue: Waiting<T, R>[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private counted = { requests: 0, batches: 0, largestBatch: 0 };

  constructor(
    private readonly submitBatch: (items: readonly T[]) => Promise<readonly R[]>,
    private readonly options: CoalescerOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.counted.requests += 1;
      if (this.inFlight === 0 || this.queue.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    });
  }

  stats(): CoalescerStats {
    return { ...this.counted };
  }

  private flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      this.counted.batches += 1;
      this.counted.largestBatch = Math.max(this.counted.largestBatch, batch.length);
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        if (this.queue.length > 0) this.flush();
      });
    }
  }

  private async run(batch: readonly Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.submitBatch(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, index) => waiting.resolve(results[index] as R));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      await Promise.all(
        batch.map(async (waiting) => {
          try {
            const [result] = await this.submitBatch([waiting.item]);
            waiting.resolve(result as R);
          } catch (alone) {
            waiting.reject(alone);
          }
        }),
      );
    }
  }
}
