/**
 * Goal: after a round is recomputed, a consent stands only for set-offs within what its giver saw; new
 * members are asked (or consent by membership); decliners stay out; members with no set-off drop out.
 * Method: worked examples over small notices.
 */
import { carryConsents, excludedMembers } from '../../../src/trade/rules/clearing-consent.js';

const notice = (invoiceId: string, debtorId: string, creditorId: string, amount: bigint) => ({
  invoiceId,
  debtorId,
  creditorId,
  amount,
});

describe('carryConsents', () => {
  const before = [notice('i1', 'a', 'b', 10n), notice('i2', 'b', 'c', 10n), notice('i3', 'c', 'a', 10n)];

  it('keeps consents whose set-offs shrank or stayed, and asks again where one grew or is new', () => {
    const after = [
      notice('i1', 'a', 'b', 5n),
      notice('i2', 'b', 'c', 12n),
      notice('i4', 'c', 'd', 1n),
      notice('i5', 'd', 'a', 1n),
    ];
    const result = carryConsents(
      [
        { organizationId: 'a', consent: 'GIVEN' },
        { organizationId: 'b', consent: 'GIVEN' },
        { organizationId: 'c', consent: 'BY_MEMBERSHIP' },
        { organizationId: 'e', consent: 'DECLINED' },
      ],
      before,
      after,
    );
    expect(Object.fromEntries(result)).toEqual({
      a: 'PENDING',
      b: 'PENDING',
      c: 'BY_MEMBERSHIP',
      d: 'PENDING',
      e: 'DECLINED',
    });
  });

  it('keeps a consent within what was seen, and drops members with nothing left', () => {
    const result = carryConsents(
      [
        { organizationId: 'a', consent: 'GIVEN' },
        { organizationId: 'b', consent: 'GIVEN' },
        { organizationId: 'c', consent: 'PENDING' },
      ],
      before,
      [notice('i1', 'a', 'b', 10n)],
    );
    expect(Object.fromEntries(result)).toEqual({ a: 'GIVEN', b: 'GIVEN' });
  });

  it('starts newcomers as the federation says', () => {
    const result = carryConsents([], [], [notice('i1', 'a', 'b', 1n)], 'BY_MEMBERSHIP');
    expect(Object.fromEntries(result)).toEqual({ a: 'BY_MEMBERSHIP', b: 'BY_MEMBERSHIP' });
  });

  it('excludes those who declined or lapsed', () => {
    expect(
      excludedMembers(
        new Map([
          ['a', 'DECLINED'],
          ['b', 'LAPSED'],
          ['c', 'GIVEN'],
          ['d', 'PENDING'],
        ]),
      ),
    ).toEqual(new Set(['a', 'b']));
  });
});
