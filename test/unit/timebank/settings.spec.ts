/**
 * Goal: a time bank's settings stay within their ranges (the minute limits above all), a change changes
 * only what it names, and a motion's parameters are read strictly. Method: worked examples, then fast-check
 * properties: every accepted change gives settings within range; a refusal names a problem; applying the
 * same change twice changes nothing the second time; a log's minutes fit the limit exactly when 1..max.
 */
import fc from 'fast-check';
import {
  applySettingsChange,
  DEFAULT_SETTINGS,
  MAX_AUTO_CONFIRM_MINUTES,
  MAX_MINUTES_PER_LOG,
  minutesWithinLimit,
  parseSettingsChange,
  settingsProblem,
} from '../../../src/timebank/rules/settings.js';

describe('time bank settings', () => {
  it('changes only what a change names', () => {
    const decision = applySettingsChange(DEFAULT_SETTINGS, { autoConfirmMinutes: 0 });
    expect(decision).toMatchObject({ ok: true, changed: ['autoConfirmMinutes'] });
    if (decision.ok) expect(decision.settings).toEqual({ ...DEFAULT_SETTINGS, autoConfirmMinutes: 0 });
  });

  it('refuses settings out of range, naming the first problem', () => {
    expect(applySettingsChange(DEFAULT_SETTINGS, { maxMinutesPerLog: 0 })).toEqual({
      ok: false,
      problem: `maxMinutesPerLog is 1 to ${MAX_MINUTES_PER_LOG}`,
    });
    expect(applySettingsChange(DEFAULT_SETTINGS, { categories: [] })).toMatchObject({ ok: false });
    expect(applySettingsChange(DEFAULT_SETTINGS, { categories: ['Care', 'care'] })).toMatchObject({ ok: false });
    expect(applySettingsChange(DEFAULT_SETTINGS, { defaultCreditMinutes: -1n })).toMatchObject({ ok: false });
    expect(applySettingsChange(DEFAULT_SETTINGS, { autoConfirmMinutes: MAX_AUTO_CONFIRM_MINUTES + 1 })).toMatchObject({
      ok: false,
    });
  });

  it('reads a motion’s parameters strictly', () => {
    expect(parseSettingsChange({ autoConfirmMinutes: 60, defaultCreditMinutes: '300' })).toEqual({
      autoConfirmMinutes: 60,
      defaultCreditMinutes: 300n,
    });
    expect(parseSettingsChange({})).toBe('a change names at least one setting');
    expect(parseSettingsChange({ colour: 'red' })).toBe('unknown settings: colour');
    expect(parseSettingsChange({ defaultCreditMinutes: 300 })).toBe(
      'defaultCreditMinutes is minutes as a decimal string',
    );
    expect(parseSettingsChange({ autoConfirmMinutes: 1.5 })).toBe('autoConfirmMinutes is a whole number of minutes');
    expect(parseSettingsChange({ federationExchanges: 'yes' })).toBe('federationExchanges is true or false');
  });

  it('accepts only settings within range, and a change applied twice changes nothing more', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            autoConfirmMinutes: fc.integer({ min: -10, max: MAX_AUTO_CONFIRM_MINUTES + 10 }),
            maxMinutesPerLog: fc.integer({ min: -10, max: MAX_MINUTES_PER_LOG + 10 }),
            defaultCreditMinutes: fc.bigInt({ min: -5n, max: 1_000_005n }),
            federationExchanges: fc.boolean(),
            categories: fc.array(fc.string({ maxLength: 70 }), { maxLength: 55 }),
          },
          { requiredKeys: [] },
        ),
        (change) => {
          const decision = applySettingsChange(DEFAULT_SETTINGS, change);
          if (!decision.ok) {
            expect(decision.problem.length).toBeGreaterThan(0);
            return;
          }
          expect(settingsProblem(decision.settings)).toBeNull();
          const again = applySettingsChange(decision.settings, change);
          expect(again).toMatchObject({ ok: true, changed: [] });
        },
      ),
    );
  });

  it('fits a log exactly when its minutes are 1 to the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 20000 }),
        fc.integer({ min: 1, max: MAX_MINUTES_PER_LOG }),
        (minutes, max) => {
          expect(minutesWithinLimit(minutes, max)).toBe(minutes >= 1 && minutes <= max);
        },
      ),
    );
    expect(minutesWithinLimit(1.5, 10)).toBe(false);
    expect(minutesWithinLimit(Number.NaN, 10)).toBe(false);
  });
});
