/**
 * Goal: scheduled work's timing rule: the next occurrence of a cron expression (five fields, or six with
 * seconds; UTC), which occurrence runs when work is found due late (EACH: the one missed first; LATEST: the
 * latest up to now), and occurrence ids that are the same for the same work, key and instant and differ
 * otherwise. Method: worked examples at month ends, leap days and second-level crons, and fast-check
 * properties: occurrences strictly increase, catching up EACH visits every occurrence between two instants
 * exactly once, LATEST never runs an occurrence after now nor before the one it was due at.
 */
import fc from 'fast-check';
import {
  dueOccurrence,
  followingOccurrence,
  isValidCron,
  nextOccurrence,
  occurrenceId,
} from '../../../src/kernel/scheduling/occurrences.js';

const at = (iso: string) => new Date(iso);

describe('occurrences', () => {
  it('finds the next occurrence strictly after an instant, in UTC', () => {
    expect(nextOccurrence('0 0 1 * *', at('2031-01-31T23:59:59Z'))).toEqual(at('2031-02-01T00:00:00Z'));
    expect(nextOccurrence('0 0 1 * *', at('2031-02-01T00:00:00Z'))).toEqual(at('2031-03-01T00:00:00Z'));
    expect(nextOccurrence('0 12 29 2 *', at('2031-03-01T00:00:00Z'))).toEqual(at('2032-02-29T12:00:00Z'));
    expect(nextOccurrence('*/10 * * * * *', at('2031-05-05T05:05:05.500Z'))).toEqual(at('2031-05-05T05:05:10Z'));
  });

  it('accepts five or six fields, and refuses anything else', () => {
    for (const cron of ['* * * * *', '0 3 * * 1-5', '*/5 * * * * *', '17 * * * *'])
      expect(isValidCron(cron)).toBe(true);
    for (const cron of ['', 'hourly', '* * * *', '* * * * * * *', '61 * * * *', '0 25 * * *', '0 0 32 * *']) {
      expect(isValidCron(cron)).toBe(false);
    }
  });

  it('runs the occurrence it was due at (EACH), or the latest up to now (LATEST)', () => {
    const due = at('2031-01-01T01:00:00Z');
    const now = at('2031-01-01T05:30:00Z');
    expect(dueOccurrence('0 * * * *', 'EACH', due, now)).toEqual(due);
    expect(dueOccurrence('0 * * * *', 'LATEST', due, now)).toEqual(at('2031-01-01T05:00:00Z'));
    expect(dueOccurrence('0 * * * *', 'LATEST', due, at('2031-01-01T01:00:00Z'))).toEqual(due);
    expect(followingOccurrence('0 * * * *', at('2031-01-01T05:00:00Z'))).toEqual(at('2031-01-01T06:00:00Z'));
  });

  const crons = fc.constantFrom('0 0 1 * *', '*/15 * * * *', '0 9 * * 1-5', '30 */2 * * *', '*/20 * * * * *');
  const instant = fc.integer({ min: Date.UTC(2030, 0, 1), max: Date.UTC(2032, 0, 1) }).map((ms) => new Date(ms));

  it('catching up EACH visits every occurrence between two instants once, in order (property)', () => {
    fc.assert(
      fc.property(crons, instant, fc.integer({ min: 1, max: 6 * 3_600_000 }), (cron, from, span) => {
        const now = new Date(from.getTime() + span);
        const visited: number[] = [];
        for (let next = nextOccurrence(cron, from); next <= now && visited.length < 10_000;) {
          const ran = dueOccurrence(cron, 'EACH', next, now);
          visited.push(ran.getTime());
          next = followingOccurrence(cron, ran);
        }
        for (let index = 1; index < visited.length; index += 1) {
          expect(visited[index]).toBeGreaterThan(visited[index - 1] ?? 0);
        }
        const last = visited.at(-1);
        if (last !== undefined) expect(nextOccurrence(cron, new Date(last)).getTime()).toBeGreaterThan(now.getTime());
      }),
      { numRuns: 30 },
    );
  });

  it('LATEST runs one occurrence, no later than now and no earlier than the one it was due at (property)', () => {
    fc.assert(
      fc.property(crons, instant, fc.integer({ min: 0, max: 30 * 86_400_000 }), (cron, from, late) => {
        const due = nextOccurrence(cron, from);
        const now = new Date(due.getTime() + late);
        const ran = dueOccurrence(cron, 'LATEST', due, now);
        expect(ran.getTime()).toBeGreaterThanOrEqual(due.getTime());
        expect(ran.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(nextOccurrence(cron, ran).getTime()).toBeGreaterThan(now.getTime());
      }),
      { numRuns: 100 },
    );
  });

  it('names an occurrence by its work, key and instant (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), instant, fc.string(), (work, key, runAt, other) => {
        const id = occurrenceId(work, key, runAt);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(occurrenceId(work, key, new Date(runAt.getTime()))).toBe(id);
        expect(occurrenceId(work, key, new Date(runAt.getTime() + 1000))).not.toBe(id);
        if (other !== key) expect(occurrenceId(work, other, runAt)).not.toBe(id);
      }),
      { numRuns: 200 },
    );
  });
});
