import { uuidV5 } from '../kernel/ids.js';
import type { AccountKind, LedgerRequest, UnitKind } from '../ledger/ledger.records.js';
import type { BalanceVisibility, OrganizationKind } from '../organizations/organizations.records.js';

/**
 * A small solidarity economy to explore: a federation issuing a mutual credit, two co-ops trading on it, a
 * time bank with hours, a strike fund and a land trust in euros, and the people who run them. Organisations
 * and persons are named by key (the loader learns their ids as it creates them); accounts and transactions
 * have ids derived from their keys, so that they are the same on every machine.
 */
const DEMO_NAMESPACE = '3b0c5e2a-7f41-4d9e-b6a8-52c1d0e9f7a3';

export function demoId(name: string): string {
  return uuidV5(name, DEMO_NAMESPACE);
}

/** The password of every demo person: printed at start-up, and only ever loaded outside production. */
export const DEMO_PASSWORD = 'solidarity-forever-demo';

export interface DemoOrganization {
  readonly key: string;
  readonly kind: OrganizationKind;
  readonly name: string;
  readonly description: string;
  readonly balanceVisibility: BalanceVisibility;
  /** Joined the federation (all but the federation itself). */
  readonly federated: boolean;
}

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  {
    key: 'commonwealth-federation',
    kind: 'FEDERATION',
    name: 'Commonwealth Federation',
    description: 'Issues Commonwealth Credit and keeps the euro books of its members',
    balanceVisibility: 'PUBLIC',
    federated: false,
  },
  {
    key: 'bread-and-roses-bakery',
    kind: 'COOPERATIVE',
    name: 'Bread & Roses Bakery',
    description: 'Worker-owned bakery',
    balanceVisibility: 'FEDERATION',
    federated: true,
  },
  {
    key: 'spoke-and-chain-bikes',
    kind: 'COOPERATIVE',
    name: 'Spoke & Chain Bikes',
    description: 'Bicycle repair and delivery co-op',
    balanceVisibility: 'FEDERATION',
    federated: true,
  },
  {
    key: 'riverside-time-bank',
    kind: 'TIME_BANK',
    name: 'Riverside Time Bank',
    description: 'Neighbours trading hours of help',
    balanceVisibility: 'MEMBERS',
    federated: true,
  },
  {
    key: 'riverside-strike-fund',
    kind: 'STRIKE_FUND',
    name: 'Riverside Strike Fund',
    description: 'Solidarity fund of the warehouse strike',
    balanceVisibility: 'PUBLIC',
    federated: true,
  },
  {
    key: 'hillside-land-trust',
    kind: 'LAND_TRUST',
    name: 'Hillside Community Land Trust',
    description: 'Holds land in trust; homes on ground leases',
    balanceVisibility: 'MEMBERS',
    federated: true,
  },
];

export interface DemoPerson {
  readonly key: string;
  readonly name: string;
  readonly email: string;
  /** Organisation key → roles there. */
  readonly roles: Readonly<Record<string, readonly string[]>>;
}

export const DEMO_PERSONS: readonly DemoPerson[] = [
  {
    key: 'rosa',
    name: 'Rosa (federation steward)',
    email: 'rosa@demo.commonwealth.example',
    roles: { 'commonwealth-federation': ['MEMBER', 'TREASURER', 'ADMIN'] },
  },
  {
    key: 'lucia',
    name: 'Lucia (bakery treasurer)',
    email: 'lucia@demo.commonwealth.example',
    roles: { 'bread-and-roses-bakery': ['MEMBER', 'TREASURER', 'ADMIN'] },
  },
  {
    key: 'sam',
    name: 'Sam (bike co-op treasurer)',
    email: 'sam@demo.commonwealth.example',
    roles: { 'spoke-and-chain-bikes': ['MEMBER', 'TREASURER', 'ADMIN'] },
  },
  {
    key: 'jonas',
    name: 'Jonas (time-bank coordinator)',
    email: 'jonas@demo.commonwealth.example',
    roles: { 'riverside-time-bank': ['MEMBER', 'COORDINATOR', 'TREASURER', 'ADMIN'] },
  },
  {
    key: 'amara',
    name: 'Amara',
    email: 'amara@demo.commonwealth.example',
    roles: { 'riverside-time-bank': ['MEMBER'] },
  },
  {
    key: 'wei',
    name: 'Wei',
    email: 'wei@demo.commonwealth.example',
    roles: { 'riverside-time-bank': ['MEMBER'], 'riverside-strike-fund': ['MEMBER'] },
  },
  {
    key: 'dana',
    name: 'Dana (strike committee treasurer)',
    email: 'dana@demo.commonwealth.example',
    roles: { 'riverside-strike-fund': ['MEMBER', 'TREASURER', 'ADMIN'] },
  },
  {
    key: 'kwame',
    name: 'Kwame (land-trust steward)',
    email: 'kwame@demo.commonwealth.example',
    roles: { 'hillside-land-trust': ['MEMBER', 'TREASURER', 'ADMIN'] },
  },
  {
    key: 'ortiz',
    name: 'Ortiz household',
    email: 'ortiz@demo.commonwealth.example',
    roles: { 'hillside-land-trust': ['MEMBER'] },
  },
];

/** The first person with ADMIN in an organisation creates it and admits its members. */
export function demoAdminOf(organizationKey: string): DemoPerson {
  const admin = DEMO_PERSONS.find((person) => person.roles[organizationKey]?.includes('ADMIN') === true);
  if (admin === undefined) throw new Error(`the demo organisation ${organizationKey} has no admin`);
  return admin;
}

export interface DemoUnit {
  readonly code: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly scale: number;
  /** Its issuer; the issuer's treasurer creates it and opens its accounts. */
  readonly issuer: string;
  readonly treasurer: string;
}

export const DEMO_UNITS: readonly DemoUnit[] = [
  {
    code: 'CWC',
    name: 'Commonwealth Credit',
    kind: 'CREDIT',
    scale: 2,
    issuer: 'commonwealth-federation',
    treasurer: 'rosa',
  },
  {
    code: 'HOUR',
    name: 'Time-bank hour (counted in minutes)',
    kind: 'HOURS',
    scale: 0,
    issuer: 'riverside-time-bank',
    treasurer: 'jonas',
  },
  { code: 'EUR', name: 'Euro', kind: 'CURRENCY', scale: 2, issuer: 'commonwealth-federation', treasurer: 'rosa' },
];

export interface DemoAccount {
  readonly id: string;
  readonly unitCode: string;
  /** An organisation key or a person key. */
  readonly holder: { readonly organization: string } | { readonly person: string };
  readonly name: string;
  readonly kind: AccountKind;
  readonly creditLimit: bigint;
}

function account(
  key: string,
  unitCode: string,
  holder: DemoAccount['holder'],
  name: string,
  kind: AccountKind,
  creditLimit: bigint,
): DemoAccount {
  return { id: demoId(`account:${key}`), unitCode, holder, name, kind, creditLimit };
}

const org = (organization: string) => ({ organization });
const person = (key: string) => ({ person: key });

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  account('bakery', 'CWC', org('bread-and-roses-bakery'), 'Bread & Roses Bakery Co-op', 'MEMBER', 500_000n),
  account('bikes', 'CWC', org('spoke-and-chain-bikes'), 'Spoke & Chain Bike Co-op', 'MEMBER', 500_000n),
  account('amara', 'HOUR', person('amara'), 'Amara (time bank)', 'MEMBER', 600n),
  account('jonas', 'HOUR', person('jonas'), 'Jonas (time bank)', 'MEMBER', 600n),
  account('wei', 'HOUR', person('wei'), 'Wei (time bank)', 'MEMBER', 600n),
  account('timebank-community', 'HOUR', org('riverside-time-bank'), 'Community work', 'FUND', 1_200n),
  account('strike-fund', 'EUR', org('riverside-strike-fund'), 'Riverside Strike Fund', 'FUND', 0n),
  account(
    'strike-bank',
    'EUR',
    org('riverside-strike-fund'),
    'Strike fund bank account',
    'EXTERNAL',
    1_000_000_000_00n,
  ),
  account('lease-income', 'EUR', org('hillside-land-trust'), 'Ground-lease income', 'FUND', 0n),
  account('stewardship-reserve', 'EUR', org('hillside-land-trust'), 'Stewardship reserve', 'RESERVE', 0n),
  account('ortiz-lease', 'EUR', person('ortiz'), 'Ortiz household ground lease', 'MEMBER', 100_000n),
];

/** A demo transaction and the person who makes it (who may move value out of its debited accounts). */
export interface DemoTransaction {
  readonly by: string;
  readonly request: LedgerRequest;
}

function transfer(
  key: string,
  by: string,
  unitCode: string,
  kind: string,
  memo: string,
  entries: [string, 'DEBIT' | 'CREDIT', bigint][],
  hold: { timeoutSeconds: number } | null = null,
): DemoTransaction {
  return {
    by,
    request: {
      type: 'TRANSFER',
      id: demoId(`transaction:${key}`),
      unitCode,
      kind,
      memo,
      metadata: [{ key: 'source', value: 'demo' }],
      effectiveAt: null,
      hold,
      entries: entries.map(([accountKey, side, amount]) => ({
        accountId: demoId(`account:${accountKey}`),
        side,
        amount,
      })),
    },
  };
}

export const DEMO_TRANSACTIONS: readonly DemoTransaction[] = [
  transfer('bread-for-bikes', 'sam', 'CWC', 'TRADE', 'Bread for the workshop, one month', [
    ['bikes', 'DEBIT', 12_000n],
    ['bakery', 'CREDIT', 12_000n],
  ]),
  transfer('delivery-bike-repair', 'lucia', 'CWC', 'TRADE', 'Cargo bike repair', [
    ['bakery', 'DEBIT', 8_500n],
    ['bikes', 'CREDIT', 8_500n],
  ]),
  transfer('amara-helps-jonas', 'jonas', 'HOUR', 'TIME_CREDIT', 'Helped Jonas move house (1h30)', [
    ['jonas', 'DEBIT', 90n],
    ['amara', 'CREDIT', 90n],
  ]),
  transfer(
    'wei-garden-work',
    'jonas',
    'HOUR',
    'TIME_CREDIT',
    'Community garden work, awaiting confirmation',
    [
      ['timebank-community', 'DEBIT', 60n],
      ['wei', 'CREDIT', 60n],
    ],
    { timeoutSeconds: 7 * 24 * 3600 },
  ),
  transfer('union-contribution', 'dana', 'EUR', 'CONTRIBUTION', "Contribution from the tenants' union", [
    ['strike-bank', 'DEBIT', 250_000n],
    ['strike-fund', 'CREDIT', 250_000n],
  ]),
  transfer('week-1-stipends', 'dana', 'EUR', 'STIPEND', 'Week 1 stipends paid out', [
    ['strike-fund', 'DEBIT', 30_000n],
    ['strike-bank', 'CREDIT', 30_000n],
  ]),
  transfer('ortiz-lease-fee', 'ortiz', 'EUR', 'GROUND_LEASE', 'Ground-lease fee: 90% income, 10% stewardship reserve', [
    ['ortiz-lease', 'DEBIT', 45_000n],
    ['lease-income', 'CREDIT', 40_500n],
    ['stewardship-reserve', 'CREDIT', 4_500n],
  ]),
];
