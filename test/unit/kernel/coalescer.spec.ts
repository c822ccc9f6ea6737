/**
 * Goal: the coalescer answers every caller with its own result, in any interleaving; sends a lone request at
 * once; groups requests that arrive while batches are in flight, never more than maxBatch together nor
 * more than maxInFlight batches at once; and lets one poisoned request fail only its own caller.
 * Method: a fake batch function over plain numbers (no database), worked examples and a fast-check property.
 */
import fc from 'fast-check';
import { Coalescer } from '../../../src/kernel/database/coalescer.js';

function tick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A batch function that doubles numbers after a delay, recording each batch and the batches in flight. */
function doubling(delayMs: number) {
  const batches: number[][] = [];
  let inFlight = 0;
  let peak = 0;
  const submit = async (items: readonly number[]): Promise<number[]> => {
    batches.push([...items]);
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await tick(delayMs);
    inFlight -= 1;
    return items.map((item) => item * 2);
  };
  return { submit, batches, peak: () => peak };
}

describe('Coalescer', () => {
  it('sends a lone request at once, in a batch of one', async () => {
    const fake = doubling(1);
    // A window of a minute: were the lone request to wait for it, the test would time out.
    const coalescer = new Coalescer(fake.submit, { windowMs: 60_000, maxBatch: 10, maxInFlight: 2 });
    await expect(coalescer.submit(21)).resolves.toBe(42);
    expect(fake.batches).toEqual([[21]]);
  });

  it('groups requests that arrive while a batch is in flight, and answers each with its own result', async () => {
    const fake = doubling(20);
    const coalescer = new Coalescer(fake.submit, { windowMs: 1, maxBatch: 100, maxInFlight: 1 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, index) => coalescer.submit(index)));
    expect(results).toEqual(Array.from({ length: 50 }, (_, index) => index * 2));
    expect(fake.batches[0]).toEqual([0]);
    expect(fake.batches.length).toBeLessThan(5);
    expect(coalescer.stats()).toMatchObject({ requests: 50, batches: fake.batches.length });
  });

  it('never puts more than maxBatch requests in a batch nor runs more than maxInFlight batches', async () => {
    const fake = doubling(5);
    const coalescer = new Coalescer(fake.submit, { windowMs: 2, maxBatch: 7, maxInFlight: 3 });
    await Promise.all(Array.from({ length: 200 }, (_, index) => coalescer.submit(index)));
    expect(Math.max(...fake.batches.map((batch) => batch.length))).toBeLessThanOrEqual(7);
    expect(fake.peak()).toBeLessThanOrEqual(3);
    expect(fake.batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, index) => index));
  });

  it('fails only the caller whose request breaks a batch: the others are retried alone', async () => {
    const submit = async (items: readonly number[]): Promise<number[]> => {
      await tick(2);
      if (items.includes(13)) throw new Error('poisoned');
      return items.map((item) => item + 1);
    };
    const coalescer = new Coalescer(submit, { windowMs: 1, maxBatch: 50, maxInFlight: 1 });
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, index) => coalescer.submit(index)));
    outcomes.forEach((outcome, index) => {
      if (index === 13) expect(outcome).toMatchObject({ status: 'rejected', reason: new Error('poisoned') });
      else expect(outcome).toEqual({ status: 'fulfilled', value: index + 1 });
    });
  });

  it('answers every caller with its own result for any arrival pattern and settings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        async (gaps, maxBatch, maxInFlight, windowMs) => {
          const fake = doubling(1);
          const coalescer = new Coalescer(fake.submit, { windowMs, maxBatch, maxInFlight });
          const pending: Promise<number>[] = [];
          for (const [index, gap] of gaps.entries()) {
            if (gap > 0) await tick(gap);
            pending.push(coalescer.submit(index));
          }
          expect(await Promise.all(pending)).toEqual(gaps.map((_, index) => index * 2));
          expect(fake.batches.every((batch) => batch.length <= maxBatch)).toBe(true);
          expect(fake.peak()).toBeLessThanOrEqual(maxInFlight);
        },
      ),
      { numRuns: 40 },
    );
  });
});
