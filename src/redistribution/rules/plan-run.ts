/**
 * Planning a run: one policy version over one period, from the accounts' positions and the period's flows,
 * to every line (what each source gives and each destination receives, and why) and the ledger transfers
 * that carry it out. Pure: the service gathers the facts; the preview shows the plan; the execution writes
 * exactly the plan it recomputed under lock.
 *
 * Rule, per leg, in the policy's order (a later leg sees what earlier legs moved):
 * 1. Each source account's measure (policy-document.ts), on the positions read and the period's flows, is
 *    bounded by what keeps it at or above max(floor, −creditLimit) after earlier legs; an account not ACTIVE
 *    gives nothing. The leg's total T is the sum.
 * 2. Each destination's limit is min(cap, room below its upper limit, its shortfall for NEED); an account not
 *    ACTIVE, or also a source of the leg, receives nothing. WATERFALL fills destinations by (rank, id) up to
 *    their limits. Otherwise T is apportioned by weight with the policy's method; a destination whose part
 *    exceeds its limit takes its limit and the rest is apportioned again among the others, until none does.
 * 3. If the destinations placed A < T, the sources' takes are reduced to sum to A, apportioned by what they
 *    would have given (largest remainder: within quota, so no source gives more than its measure).
 * 4. Transfers: sources and destinations in id order are matched by two pointers (each transfer pays the
 *    next destination from the next source), and packed into transactions of at most MAX_ENTRIES entries,
 *    each balanced. Fewer than (sources + destinations) / 31 + 1 transactions per leg.
 *
 * Every amount is a bigint of minor units; every line's exact share is a Rational. Asserted: each leg's
 * destinations receive exactly what its sources give, nothing is negative, no limit is passed.
 */
import { assert } from '../../kernel/assert.js';
import { multiply, rational, type Rational } from '../../kernel/money/rational.js';
import { apportion, type ApportionmentMethod } from './apportion.js';
import type { Destination, Leg, PolicyDocument, Source } from './policy-document.js';

/** A transaction has at most 64 entries (the ledger's limit). */
export const MAX_ENTRIES = 64;

export interface AccountFacts {
  readonly id: string;
  readonly holderId: string;
  readonly status: 'ACTIVE' | 'FROZEN' | 'CLOSED';
  readonly creditLimit: bigint;
  readonly upperLimit: bigint | null;
  /** credits − debits posted. */
  readonly balance: bigint;
  readonly debitsPending: bigint;
  readonly creditsPending: bigint;
}

export interface SourceFacts {
  readonly account: AccountFacts;
  readonly source: Source;
  /** Posted credits − debits effective in the period. */
  readonly netInflow: bigint;
}

export interface DestinationFacts {
  readonly account: AccountFacts;
  readonly destination: Destination;
  /** HOURS_GIVEN: minutes given in the period; MEMBERS: active members of the holder. Else 0. */
  readonly derivedWeight: bigint;
}

export interface LegFacts {
  readonly sources: readonly SourceFacts[];
  readonly destinations: readonly DestinationFacts[];
}

export type LineRole = 'SOURCE' | 'DESTINATION';

export interface PlanLine {
  readonly leg: number;
  readonly role: LineRole;
  readonly accountId: string;
  /** A source's measure before bounds; a destination's weight. */
  readonly basis: bigint;
  /** The exact share before rounding (destinations; sources when reduced), else null. */
  readonly exact: Rational | null;
  readonly amount: bigint;
  readonly explanation: string;
}

export interface PlanTransfer {
  readonly leg: number;
  readonly index: number;
  readonly entries: readonly {
    readonly accountId: string;
    readonly side: 'DEBIT' | 'CREDIT';
    readonly amount: bigint;
  }[];
}

export interface LegSummary {
  readonly leg: number;
  readonly name: string;
  /** What the sources' measures came to (T). */
  readonly measured: bigint;
  /** What moved (A ≤ T). */
  readonly moved: bigint;
  readonly explanation: string;
}

export interface RunPlan {
  readonly legs: readonly LegSummary[];
  readonly lines: readonly PlanLine[];
  readonly transfers: readonly PlanTransfer[];
  readonly total: bigint;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function floorOf(value: Rational): bigint {
  // Denominators are positive: bigint division truncates toward zero, so adjust negatives.
  const quotient = value.numerator / value.denominator;
  return value.numerator < 0n && quotient * value.denominator !== value.numerator ? quotient - 1n : quotient;
}

function show(value: Rational): string {
  return value.denominator === 1n ? `${value.numerator}` : `${value.numerator}/${value.denominator}`;
}

/** What a source's measure asks of it this period, before bounds, and how it was computed. */
export function measureSource(facts: SourceFacts): { amount: bigint; explanation: string } {
  const { source, account } = facts;
  const available = account.balance - account.debitsPending;
  switch (source.measure) {
    case 'BALANCE_ABOVE_FLOOR': {
      const above = max(0n, available - source.floor);
      const amount = floorOf(multiply(source.share, rational(above)));
      return {
        amount,
        explanation: `available ${available} above floor ${source.floor} is ${above}; × ${show(source.share)} = ${amount} (rounded down)`,
      };
    }
    case 'SHARE_OF_NET_INFLOW': {
      const net = max(0n, facts.netInflow);
      const amount = floorOf(multiply(source.share, rational(net)));
      return {
        amount,
        explanation: `net inflow in the period ${facts.netInflow}; × ${show(source.share)} = ${amount} (rounded down)`,
      };
    }
    case 'DEMURRAGE': {
      const amount = demurrageFee(account.balance, source.threshold, source.rate);
      return {
        amount,
        explanation: `demurrage ${show(source.rate)} per period on balance ${account.balance} above ${source.threshold} = ${amount} (rounded down)`,
      };
    }
    case 'FIXED':
      return { amount: source.amount, explanation: `fixed ${source.amount} per period` };
  }
}

/** One period's demurrage: rate × (balance − threshold), rounded down, nothing below the threshold. */
export function demurrageFee(balance: bigint, threshold: bigint, rate: Rational): bigint {
  return floorOf(multiply(rate, rational(max(0n, balance - threshold))));
}

function limitOf(facts: DestinationFacts, leg: Leg, delta: bigint): { limit: bigint | null; why: string[] } {
  const { account, destination } = facts;
  const why: string[] = [];
  let limit: bigint | null = destination.cap;
  if (destination.cap !== null) why.push(`cap ${destination.cap}`);
  if (account.upperLimit !== null) {
    const room = max(0n, account.upperLimit - (account.balance + delta) - account.creditsPending);
    if (limit === null || room < limit) limit = room;
    why.push(`room ${room} below upper limit ${account.upperLimit}`);
  }
  if (leg.split === 'PROPORTIONAL' && leg.weightBy === 'NEED') {
    const shortfall = max(0n, destination.needFloor - (account.balance + delta));
    if (limit === null || shortfall < limit) limit = shortfall;
    why.push(`shortfall ${shortfall} below ${destination.needFloor}`);
  }
  return { limit, why };
}

function weightOf(facts: DestinationFacts, leg: Leg, delta: bigint): { weight: bigint; why: string } {
  if (leg.split !== 'PROPORTIONAL') return { weight: 1n, why: 'equal weight 1' };
  switch (leg.weightBy) {
    case 'FIXED':
      return { weight: facts.destination.weight, why: `fixed weight ${facts.destination.weight}` };
    case 'HOURS_GIVEN':
      return { weight: facts.derivedWeight, why: `${facts.derivedWeight} minutes given in the period` };
    case 'MEMBERS':
      return { weight: facts.derivedWeight, why: `${facts.derivedWeight} active members` };
    case 'NEED': {
      const shortfall = max(0n, facts.destination.needFloor - (facts.account.balance + delta));
      return { weight: shortfall, why: `shortfall ${shortfall} below ${facts.destination.needFloor}` };
    }
  }
}

interface Placed {
  amount: bigint;
  exact: Rational | null;
  explanation: string;
}

/** Step 2 for a proportional or equal split: apportion, cap, re-split. */
function splitProportionally(
  total: bigint,
  parts: readonly { key: string; weight: bigint; limit: bigint | null; why: string; limitWhy: string }[],
  method: ApportionmentMethod,
): Map<string, Placed> {
  const placed = new Map<string, Placed>();
  let active = parts.filter((part) => part.weight > 0n && part.limit !== 0n);
  for (const part of parts) {
    if (part.weight === 0n) placed.set(part.key, { amount: 0n, exact: null, explanation: `${part.why}: nothing` });
    else if (part.limit === 0n) {
      placed.set(part.key, {
        amount: 0n,
        exact: null,
        explanation: `${part.why}; no room (${part.limitWhy}): nothing`,
      });
    }
  }
  let remaining = total;
  let round = 1;
  while (active.length > 0) {
    const weightSum = active.reduce((sum, part) => sum + part.weight, 0n);
    const shares = apportion(
      remaining,
      active.map((part) => ({ key: part.key, weight: part.weight })),
      method,
    );
    const byKey = new Map(active.map((part) => [part.key, part]));
    const over = shares.filter((share) => {
      const limit = byKey.get(share.key)?.limit ?? null;
      return limit !== null && share.amount > limit;
    });
    if (over.length === 0) {
      for (const share of shares) {
        const part = byKey.get(share.key)!;
        placed.set(share.key, {
          amount: share.amount,
          exact: share.exact,
          explanation:
            `${part.why} of ${weightSum}: exact share ${remaining} × ${part.weight}/${weightSum} = ${show(share.exact)}` +
            ` → ${share.amount} (${method})` +
            (round > 1 ? `; in round ${round}, after capped destinations took their limits` : ''),
        });
      }
      return placed;
    }
    const overKeys = new Set(over.map((share) => share.key));
    for (const share of over) {
      const part = byKey.get(share.key)!;
      const limit = part.limit!;
      placed.set(share.key, {
        amount: limit,
        exact: share.exact,
        explanation:
          `${part.why} of ${weightSum}: exact share ${show(share.exact)} is more than its limit ${limit} (${part.limitWhy})` +
          `: takes ${limit}, the rest re-split among the others`,
      });
      remaining -= limit;
    }
    active = active.filter((part) => !overKeys.has(part.key));
    round += 1;
  }
  return placed;
}

/** Step 2 for a waterfall. */
function splitWaterfall(
  total: bigint,
  parts: readonly { key: string; rank: number; limit: bigint | null; limitWhy: string }[],
): Map<string, Placed> {
  const placed = new Map<string, Placed>();
  const ordered = [...parts].sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let remaining = total;
  for (const [position, part] of ordered.entries()) {
    const amount = part.limit === null ? remaining : min(remaining, part.limit);
    placed.set(part.key, {
      amount,
      exact: null,
      explanation:
        `waterfall step ${position + 1} (rank ${part.rank}): ${remaining} left, ` +
        (part.limit === null ? 'no limit' : `limit ${part.limit} (${part.limitWhy})`) +
        ` → ${amount}` +
        (remaining - amount > 0n ? `, ${remaining - amount} passed on` : ''),
    });
    remaining -= amount;
  }
  return placed;
}

/** Plans a run: every line and transfer. `legs` carries the facts of each leg of `policy`, in order. */
export function planRun(policy: PolicyDocument, legs: readonly LegFacts[]): RunPlan {
  assert(legs.length === policy.legs.length, 'facts for every leg');
  const lines: PlanLine[] = [];
  const transfers: PlanTransfer[] = [];
  const summaries: LegSummary[] = [];
  /** What earlier legs moved in or out of each account (+ in, − out). */
  const delta = new Map<string, bigint>();
  let total = 0n;
  for (const [legIndex, leg] of policy.legs.entries()) {
    const facts = legs[legIndex]!;
    const sourceIds = new Set(facts.sources.map((source) => source.account.id));

    // 1. Sources.
    const takes = new Map<string, { amount: bigint; basis: bigint; explanation: string }>();
    for (const source of [...facts.sources].sort((a, b) => (a.account.id < b.account.id ? -1 : 1))) {
      const account = source.account;
      assert(!takes.has(account.id), 'a source account appears once per leg');
      const measured = measureSource(source);
      if (account.status !== 'ACTIVE') {
        takes.set(account.id, {
          amount: 0n,
          basis: measured.amount,
          explanation: `account ${account.status}: nothing taken`,
        });
        continue;
      }
      const moved = delta.get(account.id) ?? 0n;
      const bottom = max(source.source.floor, -account.creditLimit);
      const capacity = max(0n, account.balance + moved - account.debitsPending - bottom);
      const amount = min(measured.amount, capacity);
      takes.set(account.id, {
        amount,
        basis: measured.amount,
        explanation:
          measured.explanation +
          (amount < measured.amount
            ? `; bounded to ${amount}, which keeps it at ${bottom} (max of floor ${source.source.floor} and credit limit −${account.creditLimit})`
            : ''),
      });
    }
    const measuredTotal = [...takes.values()].reduce((sum, take) => sum + take.amount, 0n);

    // 2. Destinations.
    const parts = [...facts.destinations]
      .sort((a, b) => (a.account.id < b.account.id ? -1 : 1))
      .map((destination) => {
        const account = destination.account;
        const moved = delta.get(account.id) ?? 0n;
        const { limit, why } = limitOf(destination, leg, moved);
        const weight = weightOf(destination, leg, moved);
        const excluded =
          account.status !== 'ACTIVE'
            ? `account ${account.status}`
            : sourceIds.has(account.id)
              ? 'also a source of this leg'
              : null;
        return {
          key: account.id,
          rank: destination.destination.rank,
          weight: excluded === null ? weight.weight : 0n,
          limit: excluded === null ? limit : 0n,
          why: excluded ?? weight.why,
          limitWhy: why.join(', '),
          basis: weight.weight,
        };
      });
    for (let index = 1; index < parts.length; index += 1) {
      assert(parts[index - 1]!.key !== parts[index]!.key, 'a destination account appears once per leg');
    }
    const placed =
      leg.split === 'WATERFALL'
        ? splitWaterfall(
            measuredTotal,
            parts.map((part) => (part.weight === 0n ? { ...part, limit: 0n, limitWhy: part.why } : part)),
          )
        : splitProportionally(measuredTotal, parts, policy.apportionment);
    const moved = [...placed.values()].reduce((sum, place) => sum + place.amount, 0n);
    assert(moved <= measuredTotal, 'destinations never receive more than the sources give');

    // 3. Reduce the sources when not everything could be placed.
    const sourceAmounts = new Map<string, { amount: bigint; exact: Rational | null; note: string }>();
    if (moved < measuredTotal) {
      const reduced = apportion(
        moved,
        [...takes.entries()].map(([key, take]) => ({ key, weight: take.amount })),
        'LARGEST_REMAINDER',
      );
      for (const share of reduced) {
        sourceAmounts.set(share.key, {
          amount: share.amount,
          exact: share.exact,
          note: `; only ${moved} of ${measuredTotal} could be placed: reduced to ${show(share.exact)} → ${share.amount} (largest remainder)`,
        });
      }
    } else {
      for (const [key, take] of takes) sourceAmounts.set(key, { amount: take.amount, exact: null, note: '' });
    }

    const legSources: { id: string; amount: bigint }[] = [];
    for (const [key, take] of takes) {
      const final = sourceAmounts.get(key)!;
      assert(final.amount >= 0n && final.amount <= take.amount, 'a source gives at most its measure');
      lines.push({
        leg: legIndex,
        role: 'SOURCE',
        accountId: key,
        basis: take.basis,
        exact: final.exact,
        amount: final.amount,
        explanation: take.explanation + final.note,
      });
      if (final.amount > 0n) legSources.push({ id: key, amount: final.amount });
      delta.set(key, (delta.get(key) ?? 0n) - final.amount);
    }
    const legDestinations: { id: string; amount: bigint }[] = [];
    for (const part of parts) {
      const place = placed.get(part.key)!;
      assert(place.amount >= 0n && (part.limit === null || place.amount <= part.limit), 'within limits');
      lines.push({
        leg: legIndex,
        role: 'DESTINATION',
        accountId: part.key,
        basis: part.basis,
        exact: place.exact,
        amount: place.amount,
        explanation: place.explanation,
      });
      if (place.amount > 0n) legDestinations.push({ id: part.key, amount: place.amount });
      delta.set(part.key, (delta.get(part.key) ?? 0n) + place.amount);
    }
    transfers.push(...packTransfers(legIndex, legSources, legDestinations));
    summaries.push({
      leg: legIndex,
      name: leg.name,
      measured: measuredTotal,
      moved,
      explanation:
        `${facts.sources.length} source accounts measured ${measuredTotal}; ${facts.destinations.length} destination accounts ` +
        `received ${moved}` +
        (moved < measuredTotal
          ? `; ${measuredTotal - moved} stayed with the sources (every destination was full)`
          : ''),
    });
    total += moved;
  }
  return { legs: summaries, lines, transfers, total };
}

/** Step 4: match sources to destinations in id order and pack the transfers into balanced transactions. */
export function packTransfers(
  leg: number,
  sources: readonly { id: string; amount: bigint }[],
  destinations: readonly { id: string; amount: bigint }[],
): PlanTransfer[] {
  const totalIn = sources.reduce((sum, source) => sum + source.amount, 0n);
  const totalOut = destinations.reduce((sum, destination) => sum + destination.amount, 0n);
  assert(totalIn === totalOut, 'a leg gives what it takes');
  const transfers: PlanTransfer[] = [];
  let debits = new Map<string, bigint>();
  let credits = new Map<string, bigint>();
  const close = () => {
    if (debits.size === 0) return;
    transfers.push({
      leg,
      index: transfers.length,
      entries: [
        ...[...debits].map(([accountId, amount]) => ({ accountId, side: 'DEBIT' as const, amount })),
        ...[...credits].map(([accountId, amount]) => ({ accountId, side: 'CREDIT' as const, amount })),
      ],
    });
    debits = new Map();
    credits = new Map();
  };
  let s = 0;
  let d = 0;
  let sourceLeft = sources[0]?.amount ?? 0n;
  let destinationLeft = destinations[0]?.amount ?? 0n;
  while (s < sources.length && d < destinations.length) {
    const source = sources[s]!;
    const destination = destinations[d]!;
    const amount = min(sourceLeft, destinationLeft);
    if (debits.size + credits.size + 2 > MAX_ENTRIES) close();
    debits.set(source.id, (debits.get(source.id) ?? 0n) + amount);
    credits.set(destination.id, (credits.get(destination.id) ?? 0n) + amount);
    sourceLeft -= amount;
    destinationLeft -= amount;
    if (sourceLeft === 0n) {
      s += 1;
      sourceLeft = sources[s]?.amount ?? 0n;
    }
    if (destinationLeft === 0n) {
      d += 1;
      destinationLeft = destinations[d]?.amount ?? 0n;
    }
  }
  close();
  return transfers;
}
