/**
 * Hardship draws: the caps checked when someone applies, the priority of the review queue, and what a draw
 * becomes when its approval request ends.
 *
 * - Caps: what a person draws from a fund during one strike (the strike's cap) and in one calendar year (the
 *   fund's cap), counting what was paid and what is still in review, never exceeds the cap. Checked at once,
 *   when applying; the approval's action checks again before paying (the money set aside is the twin).
 * - Priority: an eviction notice weighs most, then a shut-off notice, then each dependant (up to ten). The
 *   queue is ordered by priority, then by age (oldest first), then by id.
 * - States: IN_REVIEW → PAID (approved), DECLINED, EXPIRED or WITHDRAWN; nothing leaves those.
 *   SQL twin: hardship_draw_status_known, hardship_draw_paid_when_paid.
 */

export const DRAW_CATEGORIES = ['RENT', 'UTILITIES', 'FOOD', 'MEDICAL', 'CHILDCARE', 'TRANSPORT', 'OTHER'] as const;
export type DrawCategory = (typeof DRAW_CATEGORIES)[number];

export type DrawStatus = 'IN_REVIEW' | 'PAID' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN';

export type CapBreach = 'STRIKE_CAP' | 'YEAR_CAP';

export interface DrawCaps {
  readonly amount: bigint;
  /** Null when the draw belongs to no strike. */
  readonly strikeCap: bigint | null;
  readonly takenInStrike: bigint;
  readonly yearCap: bigint;
  readonly takenInYear: bigint;
}

/** The first cap the draw would pass, or null. */
export function checkDrawCaps(caps: DrawCaps): CapBreach | null {
  if (caps.strikeCap !== null && caps.takenInStrike + caps.amount > caps.strikeCap) return 'STRIKE_CAP';
  if (caps.takenInYear + caps.amount > caps.yearCap) return 'YEAR_CAP';
  return null;
}

export interface PriorityFacts {
  readonly evictionNotice: boolean;
  readonly shutOffNotice: boolean;
  readonly dependants: number;
}

export function drawPriority(facts: PriorityFacts): number {
  return (facts.evictionNotice ? 100 : 0) + (facts.shutOffNotice ? 50 : 0) + Math.min(facts.dependants, 10) * 5;
}

export interface QueuedDraw {
  readonly id: string;
  readonly priority: number;
  readonly createdAt: Date;
}

/** The review queue's order: highest priority first, then oldest, then by id. */
export function compareQueued(a: QueuedDraw, b: QueuedDraw): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const age = a.createdAt.getTime() - b.createdAt.getTime();
  if (age !== 0) return age;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** What a draw in review becomes when its approval request closes. */
export function drawStatusAfter(request: 'APPROVED' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN'): DrawStatus {
  switch (request) {
    case 'APPROVED':
      return 'PAID';
    case 'DECLINED':
      return 'DECLINED';
    case 'EXPIRED':
      return 'EXPIRED';
    case 'WITHDRAWN':
      return 'WITHDRAWN';
  }
}
