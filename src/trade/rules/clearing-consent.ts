/**
 * Who must still agree to a clearing round after it is recomputed. A consent covers the set-offs its giver
 * saw: when a decline (or a lapse) removes obligations and the round is recomputed, a member who consented
 * keeps its consent only if each of its new set-offs is on an obligation it saw and no larger than what it
 * saw; otherwise it is asked again (PENDING). Consent given by membership (the federation's setting) stays.
 * Members left with no set-off drop out of the round; those who declined or lapsed stay out.
 */
import type { ClearingConsent } from '../trade.records.js';

export interface Notice {
  readonly invoiceId: string;
  readonly debtorId: string;
  readonly creditorId: string;
  readonly amount: bigint;
}

export interface Participant {
  readonly organizationId: string;
  readonly consent: ClearingConsent;
}

/** The participants after a recomputation from `before` (with its notices) to `after`. */
export function carryConsents(
  participants: readonly Participant[],
  before: readonly Notice[],
  after: readonly Notice[],
  /** What a member new to the round starts with: PENDING, or BY_MEMBERSHIP where the federation says so. */
  fresh: ClearingConsent = 'PENDING',
): Map<string, ClearingConsent> {
  const previous = new Map(participants.map((p) => [p.organizationId, p.consent]));
  const seen = new Map(before.map((notice) => [notice.invoiceId, notice.amount]));
  const involved = new Map<string, Notice[]>();
  for (const notice of after) {
    for (const member of [notice.debtorId, notice.creditorId]) {
      const notices = involved.get(member);
      if (notices === undefined) involved.set(member, [notice]);
      else notices.push(notice);
    }
  }
  const result = new Map<string, ClearingConsent>();
  for (const [member, consent] of previous) {
    if (consent === 'DECLINED' || consent === 'LAPSED') result.set(member, consent);
  }
  for (const [member, notices] of [...involved].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const consent = previous.get(member) ?? fresh;
    const within = notices.every((notice) => notice.amount <= (seen.get(notice.invoiceId) ?? 0n));
    result.set(member, consent === 'BY_MEMBERSHIP' || (consent === 'GIVEN' && within) ? consent : 'PENDING');
  }
  return result;
}

/** Members whose obligations are left out of a round: those who declined, or let the deadline pass. */
export function excludedMembers(consents: ReadonlyMap<string, ClearingConsent>): Set<string> {
  return new Set([...consents].filter(([, c]) => c === 'DECLINED' || c === 'LAPSED').map(([member]) => member));
}
