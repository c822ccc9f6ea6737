/**
 * Goal: a workflow step's ids are derived from what the step is, so that a step run again (after a crash, in
 * another process) derives the same id and replays instead of paying twice; and steps that differ in any
 * part never share an id. Method: worked examples and fast-check properties over step names and identities,
 * including parts that would collide if they were simply joined with a separator.
 */
import fc from 'fast-check';
import { isUuid, stepId } from '../../../src/kernel/ids.js';

describe('stepId', () => {
  it('is a valid UUID, the same for the same step and identity', () => {
    const id = stepId('land-trusts.lease-charge', 'lease-1', '2031-04');
    expect(isUuid(id)).toBe(true);
    expect(stepId('land-trusts.lease-charge', 'lease-1', '2031-04')).toBe(id);
  });

  it('tells apart steps whose parts would join to the same text', () => {
    expect(stepId('s', 'a-b', 'c')).not.toBe(stepId('s', 'a', 'b-c'));
    expect(stepId('s', 'ab')).not.toBe(stepId('s', 'a', 'b'));
    expect(stepId('s.a', 'b')).not.toBe(stepId('s', 'a.b'));
  });

  it('differs whenever the step or any part of its identity differs (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), { maxLength: 4 }), fc.string(), (step, identity, extra) => {
        const id = stepId(step, ...identity);
        expect(stepId(step, ...identity)).toBe(id);
        expect(stepId(step, ...identity, extra)).not.toBe(id);
        expect(stepId(`${step}x`, ...identity)).not.toBe(id);
      }),
      { numRuns: 300 },
    );
  });
});
