import { uuidV5 } from '../ledger/rules/content-hash.js';
import type { NewAccount, NewUnit } from '../ledger/accounts.service.js';
import type { LedgerRequest } from '../ledger/rules/ledger-model.js';

/**
 * A small solidarity economy to explore: two co-ops trading on mutual credit, a time bank, a strike fund and
 * a land trust. Ids are derived from names, so that loading it twice changes nothing.
 */
const DEMO_NAMESPACE = '3b0c5e2a-7f41-4d9e-b6a8-52c1d0e9f7a3';

export function demoId(name: string): string {
  return uuidV5(name, DEMO_NAMESPACE);
}

export const DEMO_UNITS: readonly NewUnit[] = [
  { code: 'CWC', name: 'Commonwealth Credit', kind: 'CREDIT', scale: 2, issuer: 'org:commonwealth-federation' },
  {
    code: 'HOUR',
    name: 'Time-bank hour (counted in minutes)',
    kind: 'HOURS',
    scale: 0,
    issuer: 'org:riverside-time-bank',
  },
  { code: 'EUR', name: 'Euro', kind: 'CURRENCY', scale: 2, issuer: null },
];

function account(
  key: string,
  unitCode: string,
  holder: string,
  name: string,
  kind: NewAccount['kind'],
  creditLimit: bigint,
): NewAccount {
  return { id: demoId(`account:${key}`), unitCode, holder, name, kind, creditLimit, upperLimit: null };
}

export const DEMO_ACCOUNTS: readonly NewAccount[] = [
  account('bakery', 'CWC', 'org:bread-and-roses-bakery', 'Bread & Roses Bakery Co-op', 'MEMBER', 500_000n),
  account('bikes', 'CWC', 'org:spoke-and-chain-bikes', 'Spoke & Chain Bike Co-op', 'MEMBER', 500_000n),
  account('amara', 'HOUR', 'person:amara', 'Amara (time bank)', 'MEMBER', 600n),
  account('jonas', 'HOUR', 'person:jonas', 'Jonas (time bank)', 'MEMBER', 600n),
  account('wei', 'HOUR', 'person:wei', 'Wei (time bank)', 'MEMBER', 600n),
  account('timebank-community', 'HOUR', 'org:riverside-time-bank', 'Community work', 'FUND', 1_200n),
  account('strike-fund', 'EUR', 'org:riverside-strike-fund', 'Riverside Strike Fund', 'FUND', 0n),
  account('strike-bank', 'EUR', 'org:riverside-strike-fund', 'Strike fund bank account', 'EXTERNAL', 1_000_000_000_00n),
  account('lease-income', 'EUR', 'org:hillside-land-trust', 'Ground-lease income', 'FUND', 0n),
  account('stewardship-reserve', 'EUR', 'org:hillside-land-trust', 'Stewardship reserve', 'RESERVE', 0n),
  account('ortiz-lease', 'EUR', 'person:ortiz-household', 'Ortiz household ground lease', 'MEMBER', 100_000n),
];

function transfer(
  key: string,
  unitCode: string,
  kind: string,
  memo: string,
  entries: [string, 'DEBIT' | 'CREDIT', bigint][],
  hold: { timeoutSeconds: number } | null = null,
): LedgerRequest {
  return {
    type: 'TRANSFER',
    id: demoId(`transaction:${key}`),
    unitCode,
    kind,
    memo,
    metadata: { source: 'demo' },
    effectiveAt: null,
    hold,
    entries: entries.map(([accountKey, side, amount]) => ({
      accountId: demoId(`account:${accountKey}`),
      side,
      amount,
    })),
  };
}

export const DEMO_TRANSACTIONS: readonly LedgerRequest[] = [
  transfer('bread-for-bikes', 'CWC', 'TRADE', 'Bread for the workshop, one month', [
    ['bikes', 'DEBIT', 12_000n],
    ['bakery', 'CREDIT', 12_000n],
  ]),
  transfer('delivery-bike-repair', 'CWC', 'TRADE', 'Cargo bike repair', [
    ['bakery', 'DEBIT', 8_500n],
    ['bikes', 'CREDIT', 8_500n],
  ]),
  transfer('amara-helps-jonas', 'HOUR', 'TIME_CREDIT', 'Helped Jonas move house (1h30)', [
    ['jonas', 'DEBIT', 90n],
    ['amara', 'CREDIT', 90n],
  ]),
  transfer(
    'wei-garden-work',
    'HOUR',
    'TIME_CREDIT',
    'Community garden work, awaiting confirmation',
    [
      ['timebank-community', 'DEBIT', 60n],
      ['wei', 'CREDIT', 60n],
    ],
    { timeoutSeconds: 7 * 24 * 3600 },
  ),
  transfer('union-contribution', 'EUR', 'CONTRIBUTION', "Contribution from the tenants' union", [
    ['strike-bank', 'DEBIT', 250_000n],
    ['strike-fund', 'CREDIT', 250_000n],
  ]),
  transfer('week-1-stipends', 'EUR', 'STIPEND', 'Week 1 stipends paid out', [
    ['strike-fund', 'DEBIT', 30_000n],
    ['strike-bank', 'CREDIT', 30_000n],
  ]),
  transfer('ortiz-lease-fee', 'EUR', 'GROUND_LEASE', 'Ground-lease fee: 90% income, 10% stewardship reserve', [
    ['ortiz-lease', 'DEBIT', 45_000n],
    ['lease-income', 'CREDIT', 40_500n],
    ['stewardship-reserve', 'CREDIT', 4_500n],
  ]),
];
