/**
 * Goal: a date-time is an ISO 8601 string with a time and an offset, a real calendar day (never rolled over
 * into the next month) within what both JavaScript and PostgreSQL can hold. Anything else (words, objects,
 * numbers, dates without a time, month 13, 30 February, years beyond either end) is refused with a typed
 * VALIDATION_FAILED, in inputs and in query arguments, and changes nothing.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real service on its own
 * database, the snapshot of every table before and after, a leak scan of the answer, GET /health after it.
 */
import { fx, gql, invalid, postTransfer, runCatalogue, type Case } from './catalogue.js';

/** Before PostgreSQL's first timestamp (4713 BC), though JavaScript can hold it. */
const EARLY_DATE = '-100000-01-01T00:00:00.000Z';

const CASES: readonly Case[] = [
  {
    name: 'effectiveAt "yesterday"',
    send: () => postTransfer({ effectiveAt: 'yesterday' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'effectiveAt {} (an object)',
    send: () => postTransfer({ effectiveAt: {} }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'effectiveAt 1e20 (a number beyond any date)',
    send: () => postTransfer({ effectiveAt: 1e20 }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'effectiveAt "+275760-09-14T00:00:00Z" (past the last JavaScript date)',
    send: () => postTransfer({ effectiveAt: '+275760-09-14T00:00:00Z' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'effectiveAt "2024-13-45T00:00:00Z" (month 13)',
    send: () => postTransfer({ effectiveAt: '2024-13-45T00:00:00Z' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'effectiveAt "2024-02-30T00:00:00Z" (no such day: refused, not rolled over into March)',
    send: () => postTransfer({ effectiveAt: '2024-02-30T00:00:00Z' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'effectiveAt "2024-02-01" (a date without a time and offset)',
    send: () => postTransfer({ effectiveAt: '2024-02-01' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'effectiveAt 0 (a number is not a date-time)',
    send: () => postTransfer({ effectiveAt: 0 }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'balanceAsOf(at: 20240101) as a literal integer',
    send: () => gql('query($a: ID!) { balanceAsOf(accountId: $a, at: 20240101) { balance } }', { a: fx.alice }),
    expect: invalid(),
  },
  {
    name: `effectiveAt "${EARLY_DATE}" (before PostgreSQL's first timestamp, 4713 BC)`,
    send: () => postTransfer({ effectiveAt: EARLY_DATE }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: `balanceAsOf(at: "${EARLY_DATE}")`,
    send: () =>
      gql('query($a: ID!, $at: DateTime!) { balanceAsOf(accountId: $a, at: $at) { balance } }', {
        a: fx.alice,
        at: EARLY_DATE,
      }),
    expect: invalid(),
  },
  {
    name: `accountHistory(from: "${EARLY_DATE}")`,
    send: () =>
      gql('query($a: ID!, $from: DateTime) { accountHistory(accountId: $a, from: $from) { edges { cursor } } }', {
        a: fx.alice,
        from: EARLY_DATE,
      }),
    expect: invalid(),
  },
];

runCatalogue('dates', CASES);
