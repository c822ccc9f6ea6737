/**
 * Statements: a member's hours per month (given, received, corrections, the balance at the month's end), a
 * bank's totals per month, and both as CSV. Months are UTC calendar months, written YYYY-MM. A correction
 * (a reversed exchange) counts in the month it was made, never in the month it corrects: history is not
 * edited, and last month's statement still reads as it did. Pure: the movements are read by the repository.
 */

export interface Movement {
  /** When it took effect: the confirmation, or for a correction the reversal. */
  readonly at: Date;
  /** Minutes the member gave (credited) or received (debited). */
  readonly side: 'GIVEN' | 'RECEIVED';
  readonly minutes: bigint;
  readonly correction: boolean;
}

export interface StatementMonth {
  readonly month: string;
  readonly given: bigint;
  readonly received: bigint;
  /** Net minutes of corrections this month: positive gives back to the member. */
  readonly corrections: bigint;
  readonly balance: bigint;
}

export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** One line per month with movements, oldest first; the balance runs from zero. */
export function buildStatement(movements: readonly Movement[]): StatementMonth[] {
  const months = new Map<string, { given: bigint; received: bigint; corrections: bigint }>();
  for (const movement of movements) {
    const key = monthOf(movement.at);
    const line = months.get(key) ?? { given: 0n, received: 0n, corrections: 0n };
    if (movement.correction) {
      // Reversing a gift takes the minutes back; reversing a receipt returns them.
      line.corrections += movement.side === 'GIVEN' ? -movement.minutes : movement.minutes;
    } else if (movement.side === 'GIVEN') {
      line.given += movement.minutes;
    } else {
      line.received += movement.minutes;
    }
    months.set(key, line);
  }
  let balance = 0n;
  return [...months.keys()].sort().map((month) => {
    const line = months.get(month) ?? { given: 0n, received: 0n, corrections: 0n };
    balance += line.given - line.received + line.corrections;
    return { month, ...line, balance };
  });
}

/** A CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is defused. */
export function csvField(value: string | bigint | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | bigint | number)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
