import { GraphQLScalarType, Kind } from 'graphql';

/**
 * RFC 3339 date-time with an offset: 2024-02-29T09:54:33Z, 2024-02-29T10:54:33.250+01:00. Fractions finer
 * than a millisecond are cut (the ledger keeps milliseconds).
 */
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Not a date: the resolvers refuse it as VALIDATION_FAILED INVALID_DATE, naming the field (graphql/dates.ts). */
const NOT_A_DATE = Number.NaN;

/**
 * The instant a client's date-time names, or NaN when it names none. Strict where `new Date()` is lenient:
 * an impossible day (2024-02-30, 2023-02-29) is refused, not rolled over into the next month, and so are
 * numbers, date-only strings and the other forms JavaScript guesses at.
 */
export function parseDateTime(text: string): number {
  const match = RFC_3339.exec(text);
  if (match === null) return NOT_A_DATE;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const milliseconds = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (hour > 23 || minute > 59 || second > 59) return NOT_A_DATE;
  let offsetMinutes = 0;
  if (match[8] === undefined) {
    const offsetHours = Number(match[10]);
    const offsetRest = Number(match[11]);
    if (offsetHours > 23 || offsetRest > 59) return NOT_A_DATE;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetRest);
  }
  // setUTCFullYear reads years 0–99 as they are (Date.UTC would make them 1900–1999); an impossible day
  // rolls over into the next month, which the comparison below catches.
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  if (instant.getUTCFullYear() !== year || instant.getUTCMonth() !== month - 1 || instant.getUTCDate() !== day) {
    return NOT_A_DATE;
  }
  instant.setUTCHours(hour, minute, second, milliseconds);
  return instant.getTime() - offsetMinutes * 60_000;
}

/** Anything but a string is not a date-time. */
function toDate(value: unknown): Date {
  return new Date(typeof value === 'string' ? parseDateTime(value) : NOT_A_DATE);
}

/** The API's DateTime, in place of the lenient one @nestjs/graphql provides. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'A date-time in RFC 3339 form with its offset, such as 2019-12-03T09:54:33Z; answers are always in UTC. ' +
    'An impossible date (2024-02-30) is refused, not rolled over.',
  parseValue: toDate,
  parseLiteral: (ast) => toDate(ast.kind === Kind.STRING ? ast.value : null),
  serialize: (value) => (value instanceof Date ? value.toISOString() : (null as unknown as string)),
});
