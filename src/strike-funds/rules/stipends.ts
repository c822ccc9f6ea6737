/**
 * The weekly stipend of a strike, from the week's picket hours and the strike's rules in force that week.
 *
 * - Base: the weekly rate for a striker with at least `fullMinutes` on the picket line that week; below
 *   that, pro-rated (rate × minutes ÷ fullMinutes, rounded down to the minor unit) down to
 *   `minimumMinutes`; below the minimum, nothing.
 * - Supplement: `dependantSupplement` per dependant, paid with any base above zero.
 * - Cap: what a striker is paid over the whole strike never exceeds `capPerStriker`; the week's due amount
 *   is cut to what remains under it.
 * - Shortfall: when the fund cannot cover the batch, PRO_RATA pays everyone the same share of what they are
 *   due (largest remainder, ties broken by person id, exact to the minor unit: the parts sum to what the
 *   fund holds, nobody gets more than due); PAY_NONE pays nobody and says so.
 *
 * Every line carries its explanation. SQL twins: stipend_line_* CHECKs (amount ≤ due ≤ base + supplement),
 * stipend_batch_total_range, stipend_rule_* CHECKs (migrations/1764700000000-StrikeFunds.ts).
 */

export const MAX_DEPENDANTS = 20;
export const MINUTES_PER_WEEK = 7 * 24 * 60;

export type Shortfall = 'PRO_RATA' | 'PAY_NONE';

export interface StipendRules {
  readonly weeklyRate: bigint;
  readonly fullMinutes: number;
  readonly minimumMinutes: number;
  readonly dependantSupplement: bigint;
  readonly capPerStriker: bigint | null;
  readonly shortfall: Shortfall;
}

/** A striker's week: hours picketed, dependants, and what the strike has paid them so far. */
export interface StrikerWeek {
  readonly personId: string;
  readonly accountId: string;
  readonly minutes: number;
  readonly dependants: number;
  readonly paidSoFar: bigint;
}

export interface StipendLine {
  readonly personId: string;
  readonly accountId: string;
  readonly minutes: number;
  readonly dependants: number;
  readonly base: bigint;
  readonly supplement: bigint;
  /** What the rules say is due this week, after the cap. */
  readonly due: bigint;
  /** What is paid: the due amount, or less when the fund falls short. */
  readonly amount: bigint;
  readonly explanation: string;
}

export interface StipendBatchPlan {
  readonly lines: readonly StipendLine[];
  readonly requestedTotal: bigint;
  readonly total: bigint;
  /** The shortfall rule applied, or null when the fund covers the batch. */
  readonly shortfall: Shortfall | null;
  readonly explanation: string;
}

/** Why rules are not well formed, or null. */
export function checkStipendRules(rules: StipendRules): string | null {
  if (rules.weeklyRate <= 0n) return 'the weekly rate is more than zero';
  if (!Number.isInteger(rules.fullMinutes) || rules.fullMinutes < 1 || rules.fullMinutes > MINUTES_PER_WEEK) {
    return `the full week is 1 to ${MINUTES_PER_WEEK} minutes of picketing`;
  }
  if (!Number.isInteger(rules.minimumMinutes) || rules.minimumMinutes < 0 || rules.minimumMinutes > rules.fullMinutes) {
    return 'the minimum is 0 minutes up to the full week';
  }
  if (rules.dependantSupplement < 0n) return 'the supplement per dependant is zero or more';
  if (rules.capPerStriker !== null && rules.capPerStriker <= 0n) return 'a cap per striker is more than zero';
  return null;
}

/** One striker's week under the rules, before any shortfall. */
export function computeStipend(rules: StipendRules, week: StrikerWeek): StipendLine {
  const minutes = Math.max(0, week.minutes);
  const hours = formatMinutes(minutes);
  let base: bigint;
  let why: string;
  if (minutes >= rules.fullMinutes) {
    base = rules.weeklyRate;
    why = `${hours} picketed, at least the full ${formatMinutes(rules.fullMinutes)}: the weekly rate ${rules.weeklyRate}`;
  } else if (minutes > 0 && minutes >= rules.minimumMinutes) {
    base = (rules.weeklyRate * BigInt(minutes)) / BigInt(rules.fullMinutes);
    why = `${hours} of ${formatMinutes(rules.fullMinutes)} picketed: ${rules.weeklyRate} × ${minutes}/${rules.fullMinutes}, rounded down, = ${base}`;
  } else {
    base = 0n;
    why = `${hours} picketed, under the minimum of ${formatMinutes(Math.max(rules.minimumMinutes, 1))}: no stipend`;
  }
  const supplement = base > 0n ? rules.dependantSupplement * BigInt(week.dependants) : 0n;
  if (supplement > 0n) why += `; ${week.dependants} dependant(s) × ${rules.dependantSupplement} = ${supplement}`;
  let due = base + supplement;
  if (rules.capPerStriker !== null) {
    const room = rules.capPerStriker - week.paidSoFar;
    const allowed = room > 0n ? room : 0n;
    if (due > allowed) {
      why += `; cut to ${allowed} by the cap of ${rules.capPerStriker} per striker (${week.paidSoFar} paid so far)`;
      due = allowed;
    }
  }
  return {
    personId: week.personId,
    accountId: week.accountId,
    minutes,
    dependants: week.dependants,
    base,
    supplement,
    due,
    amount: due,
    explanation: why,
  };
}

/** The whole week's batch, with what the fund can pay (its available balance). */
export function computeStipendBatch(
  rules: StipendRules,
  weeks: readonly StrikerWeek[],
  available: bigint,
): StipendBatchPlan {
  const lines = [...weeks]
    .sort((a, b) => compareIds(a.personId, b.personId))
    .map((week) => computeStipend(rules, week));
  const requestedTotal = lines.reduce((sum, line) => sum + line.due, 0n);
  if (requestedTotal <= available) {
    return {
      lines,
      requestedTotal,
      total: requestedTotal,
      shortfall: null,
      explanation: `The fund covers the batch: ${requestedTotal} to ${countPaid(lines)} striker(s).`,
    };
  }
  const room = available > 0n ? available : 0n;
  if (rules.shortfall === 'PAY_NONE') {
    return {
      lines: lines.map((line) => ({
        ...line,
        amount: 0n,
        explanation: `${line.explanation}; not paid: the fund holds ${room} of the ${requestedTotal} due, and the rules pay none when it falls short`,
      })),
      requestedTotal,
      total: 0n,
      shortfall: 'PAY_NONE',
      explanation: `The fund holds ${room} of the ${requestedTotal} due: the rules say pay none, so nobody is paid this week.`,
    };
  }
  const shares = apportion(
    lines.map((line) => ({ key: line.personId, weight: line.due })),
    room,
  );
  return {
    lines: lines.map((line) => {
      const amount = shares.get(line.personId) ?? 0n;
      return {
        ...line,
        amount,
        explanation:
          line.due === 0n
            ? line.explanation
            : `${line.explanation}; paid ${amount} of ${line.due}: the fund holds ${room} of the ${requestedTotal} due, shared pro rata`,
      };
    }),
    requestedTotal,
    total: room,
    shortfall: 'PRO_RATA',
    explanation: `The fund holds ${room} of the ${requestedTotal} due: everyone is paid the same share of what is due (largest remainder).`,
  };
}

/**
 * Splits `total` in proportion to the weights, exactly: each gets the floor of its share, and what remains
 * goes one minor unit at a time to the largest remainders, ties broken by key. Each part is at most its
 * weight when total ≤ Σ weights.
 */
export function apportion(
  parts: readonly { readonly key: string; readonly weight: bigint }[],
  total: bigint,
): Map<string, bigint> {
  const sum = parts.reduce((acc, part) => acc + part.weight, 0n);
  const result = new Map<string, bigint>();
  if (sum === 0n) {
    for (const part of parts) result.set(part.key, 0n);
    return result;
  }
  let given = 0n;
  const remainders: { key: string; remainder: bigint }[] = [];
  for (const part of parts) {
    const product = part.weight * total;
    const floor = product / sum;
    result.set(part.key, floor);
    given += floor;
    remainders.push({ key: part.key, remainder: product % sum });
  }
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? compareIds(a.key, b.key) : a.remainder > b.remainder ? -1 : 1,
  );
  let left = total - given;
  for (const { key } of remainders) {
    if (left <= 0n) break;
    result.set(key, (result.get(key) ?? 0n) + 1n);
    left -= 1n;
  }
  return result;
}

/** Minutes as hours and minutes, such as 9h30. */
export function formatMinutes(minutes: number): string {
  const whole = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${whole}h` : `${whole}h${String(rest).padStart(2, '0')}`;
}

function countPaid(lines: readonly StipendLine[]): number {
  return lines.filter((line) => line.amount > 0n).length;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
