/**
 * Transparency without exposure: what a fund's public report may show of groups of people. No figure is
 * shown for a group of fewer than MIN_GROUP people: such groups are merged into OTHER, and when OTHER
 * itself holds fewer, its figures are withheld (null) too. Nobody is ever named. Pure; the service passes
 * the counts it read.
 */

export const MIN_GROUP = 5;
export const OTHER = 'OTHER';

export interface Group {
  readonly label: string;
  readonly people: number;
  readonly amount: bigint;
}

export interface ShownGroup {
  readonly label: string;
  /** Null when withheld: fewer than MIN_GROUP people. */
  readonly people: number | null;
  readonly amount: bigint | null;
}

export function suppressSmallGroups(groups: readonly Group[], minimum = MIN_GROUP): ShownGroup[] {
  const shown: ShownGroup[] = [];
  let otherPeople = 0;
  let otherAmount = 0n;
  let merged = false;
  for (const group of [...groups].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))) {
    if (group.people >= minimum && group.label !== OTHER) {
      shown.push({ label: group.label, people: group.people, amount: group.amount });
    } else {
      merged = true;
      otherPeople += group.people;
      otherAmount += group.amount;
    }
  }
  if (merged) {
    shown.push(
      otherPeople >= minimum
        ? { label: OTHER, people: otherPeople, amount: otherAmount }
        : { label: OTHER, people: null, amount: null },
    );
  }
  return shown;
}

/** A count of people, or null when fewer than the minimum (never shown: a small number can name someone). */
export function countShown(people: number, minimum = MIN_GROUP): number | null {
  return people >= minimum ? people : null;
}
