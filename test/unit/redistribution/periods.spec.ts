/**
 * Goal: a cadence names the period that has just ended at each of its occurrences, in UTC, and a run's period
 * is refused unless it is ordered, at most 367 days long and over. Method: worked examples around month and
 * year ends, leap years and weeks; the refusals one by one.
 */
import { CADENCE_CRON, periodEndingAt, periodProblem } from '../../../src/redistribution/rules/periods.js';

const at = (iso: string) => new Date(iso);

describe('periodEndingAt', () => {
  it('MONTHLY: the calendar month before the 1st, across year ends and leap years', () => {
    expect(periodEndingAt('MONTHLY', at('2027-01-01T00:00:00Z'))).toEqual({
      start: at('2026-12-01T00:00:00Z'),
      end: at('2027-01-01T00:00:00Z'),
    });
    expect(periodEndingAt('MONTHLY', at('2028-03-01T00:00:00Z')).start).toEqual(at('2028-02-01T00:00:00Z'));
  });

  it('WEEKLY: the seven days before', () => {
    expect(periodEndingAt('WEEKLY', at('2026-12-07T00:00:00Z'))).toEqual({
      start: at('2026-11-30T00:00:00Z'),
      end: at('2026-12-07T00:00:00Z'),
    });
  });

  it('names the cron expressions the scheduler runs', () => {
    expect(CADENCE_CRON).toEqual({ MONTHLY: '0 0 1 * *', WEEKLY: '0 0 * * 1' });
  });
});

describe('periodProblem', () => {
  const now = at('2026-12-15T12:00:00Z');
  it('accepts a period that has ended', () => {
    expect(periodProblem({ start: at('2026-11-01T00:00:00Z'), end: at('2026-12-01T00:00:00Z') }, now)).toBeNull();
  });
  it.each([
    ['an empty period', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 'ends after it starts'],
    ['a reversed period', '2026-12-01T00:00:00Z', '2026-11-01T00:00:00Z', 'ends after it starts'],
    ['a period of two years', '2024-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 'at most 367 days'],
    ['a period not over', '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z', 'not ended'],
  ])('refuses %s', (_, start, end, problem) => {
    expect(periodProblem({ start: at(start), end: at(end) }, now)).toContain(problem);
  });
});
