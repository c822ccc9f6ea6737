/**
 * A redistribution policy as data: what a motion adopts, checked here and stored as a version.
 *
 * Rule: a policy is in one unit and has 1 to MAX_LEGS legs, applied in order in every run. A leg takes from
 * its sources (named accounts, or every account of a kind held by the members of an organisation) by a
 * measure, and gives what it took to its destinations by a split. Amounts are decimal strings of minor
 * units; fractions (shares, rates) are "n/d" or decimals such as "0.3", between 0 and 1.
 *
 * ```json
 * { "name": "Surplus sharing", "unitCode": "EUR", "apportionment": "LARGEST_REMAINDER", "cadence": "MONTHLY",
 *   "legs": [
 *     { "name": "strike fund", "split": "EQUAL",
 *       "sources": [{ "accountSet": { "organizationId": "…", "kind": "FUND" }, "measure": "BALANCE_ABOVE_FLOOR",
 *                     "floor": "100000", "share": "3/10" }],
 *       "destinations": [{ "accountId": "…" }] },
 *     { "name": "by hours given", "split": "PROPORTIONAL", "weightBy": "HOURS_GIVEN", "hoursUnitCode": "HRS",
 *       "sources": [{ "accountSet": { "organizationId": "…", "kind": "FUND" }, "measure": "BALANCE_ABOVE_FLOOR",
 *                     "floor": "100000", "share": "7/10" }],
 *       "destinations": [{ "accountSet": { "organizationId": "…", "kind": "MEMBER" }, "cap": "50000" }] } ] }
 * ```
 *
 * Measures (per source account, on its position when the run is computed and its flows in the period):
 * - BALANCE_ABOVE_FLOOR: share × (available − floor), rounded down; share defaults to 1.
 * - SHARE_OF_NET_INFLOW: share × (posted credits − posted debits effective in the period), rounded down.
 * - DEMURRAGE: rate × (balance − threshold), rounded down (in the holder's favour), once per period: it
 *   compounds, each period's fee being taken from what the previous periods left.
 * - FIXED: amount per period.
 * Whatever the measure, a source gives at most what keeps it at or above max(floor, −creditLimit) (floor
 * defaults to 0: nothing is taken below zero, a fund's credit limit being 0 anyway).
 *
 * Splits: EQUAL (weight 1 each), PROPORTIONAL by weightBy — FIXED weights (`weight`, default 1),
 * HOURS_GIVEN (minutes credited in the period to the holder's MEMBER accounts of `hoursUnitCode`: the time
 * bank credits the one who gives), MEMBERS (active members of the holding organisation), NEED (the
 * shortfall below `needFloor`, which also caps what the account receives) — and WATERFALL (by `rank`, then
 * account id: each fills up to its cap, the rest passes on). `cap` bounds what a destination receives per
 * run; an account's upper limit bounds it too. What a capped destination cannot take is re-split among the
 * others; what nobody can take stays with the sources (their takes reduced in proportion).
 *
 * SQL twin: the document is stored as JSONB in `redistribution_policy_version`, which only checks its shape
 * (an object) and refuses updates; everything else is checked here when the motion is proposed.
 */
import type { AccountKind } from '../../ledger/ledger.records.js';
import { rational, type Rational } from '../../kernel/money/rational.js';
import { APPORTIONMENT_METHODS, type ApportionmentMethod } from './apportion.js';

export const MAX_LEGS = 10;
export const MAX_SELECTORS = 100;
export const MAX_NAME_LENGTH = 200;
/** Largest amount a policy names (a floor, cap, fixed amount): the ledger's largest entry. */
export const MAX_POLICY_AMOUNT = 1_000_000_000_000_000n;
const MAX_DENOMINATOR = 1_000_000_000n;
const MAX_RANK = 1_000_000;

export const MEASURES = ['BALANCE_ABOVE_FLOOR', 'SHARE_OF_NET_INFLOW', 'DEMURRAGE', 'FIXED'] as const;
export type MeasureKind = (typeof MEASURES)[number];
export const SPLITS = ['PROPORTIONAL', 'EQUAL', 'WATERFALL'] as const;
export type SplitKind = (typeof SPLITS)[number];
export const WEIGHTS = ['FIXED', 'HOURS_GIVEN', 'MEMBERS', 'NEED'] as const;
export type WeightKind = (typeof WEIGHTS)[number];
export const CADENCES = ['MONTHLY', 'WEEKLY'] as const;
export type Cadence = (typeof CADENCES)[number];
const ACCOUNT_KINDS: readonly AccountKind[] = ['MEMBER', 'FUND', 'RESERVE', 'CLEARING', 'ISSUANCE', 'EXTERNAL'];

export type Selector =
  | { readonly accountId: string }
  | { readonly accountSet: { readonly organizationId: string; readonly kind: AccountKind } };

export interface Source {
  readonly select: Selector;
  readonly measure: MeasureKind;
  /** Never taken below this (nor below −creditLimit). */
  readonly floor: bigint;
  /** BALANCE_ABOVE_FLOOR, SHARE_OF_NET_INFLOW. */
  readonly share: Rational;
  /** DEMURRAGE. */
  readonly rate: Rational;
  readonly threshold: bigint;
  /** FIXED. */
  readonly amount: bigint;
}

export interface Destination {
  readonly select: Selector;
  readonly weight: bigint;
  readonly cap: bigint | null;
  readonly rank: number;
  readonly needFloor: bigint;
}

export interface Leg {
  readonly name: string;
  readonly split: SplitKind;
  readonly weightBy: WeightKind;
  readonly hoursUnitCode: string | null;
  readonly sources: readonly Source[];
  readonly destinations: readonly Destination[];
}

export interface PolicyDocument {
  readonly name: string;
  readonly unitCode: string;
  readonly apportionment: ApportionmentMethod;
  readonly cadence: Cadence | null;
  readonly legs: readonly Leg[];
}

export type ParsedPolicy =
  { readonly ok: true; readonly policy: PolicyDocument } | { readonly ok: false; readonly problem: string };

class Problem extends Error {}

function refuse(problem: string): never {
  throw new Problem(problem);
}

type Json = Readonly<Record<string, unknown>>;

function object(value: unknown, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) refuse(`${what} is an object`);
  return value as Json;
}

function list(value: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > max) refuse(`${what} is a list of 1 to ${max}`);
  return value;
}

function text(value: unknown, what: string, max = MAX_NAME_LENGTH): string {
  if (typeof value !== 'string' || value.trim().length === 0 || [...value].length > max) {
    refuse(`${what} is text of 1 to ${max} characters`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string, fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    refuse(`${what} is one of ${allowed.join(', ')}`);
  }
  return value as T;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function uuid(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) refuse(`${what} is an id (a UUID in lower case)`);
  return value;
}

/** Minor units as a decimal string ("1250"), 0 ≤ amount ≤ MAX_POLICY_AMOUNT. */
export function parseAmount(value: unknown, what: string, fallback?: bigint): bigint {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,17})$/.test(value)) {
    refuse(`${what} is an amount in minor units, a decimal string such as "1250"`);
  }
  const amount = BigInt(value);
  if (amount > MAX_POLICY_AMOUNT) refuse(`${what} is at most ${MAX_POLICY_AMOUNT} minor units`);
  return amount;
}

/** A fraction from 0 to 1: "n/d" or a decimal such as "0.3" (at most 9 decimals). */
export function parseFraction(value: unknown, what: string, fallback?: Rational): Rational {
  if (value === undefined && fallback !== undefined) return fallback;
  let fraction: Rational | null = null;
  if (typeof value === 'string') {
    const ratio = /^([0-9]{1,10})\/([1-9][0-9]{0,9})$/.exec(value);
    const decimal = /^(0|1)(?:\.([0-9]{1,9}))?$/.exec(value);
    if (ratio !== null) fraction = rational(BigInt(ratio[1]!), BigInt(ratio[2]!));
    else if (decimal !== null) {
      const digits = decimal[2] ?? '';
      fraction = rational(BigInt(decimal[1]! + digits), 10n ** BigInt(digits.length));
    }
  }
  if (fraction === null || fraction.numerator > fraction.denominator || fraction.denominator > MAX_DENOMINATOR) {
    refuse(`${what} is a fraction from 0 to 1, such as "3/10" or "0.3"`);
  }
  return fraction;
}

function parseSelector(value: Json, what: string): Selector {
  if (value['accountId'] !== undefined) {
    if (value['accountSet'] !== undefined) refuse(`${what} names an accountId or an accountSet, not both`);
    return { accountId: uuid(value['accountId'], `${what}.accountId`) };
  }
  if (value['accountSet'] === undefined) refuse(`${what} names an accountId or an accountSet`);
  const set = object(value['accountSet'], `${what}.accountSet`);
  return {
    accountSet: {
      organizationId: uuid(set['organizationId'], `${what}.accountSet.organizationId`),
      kind: oneOf(set['kind'], ACCOUNT_KINDS, `${what}.accountSet.kind`),
    },
  };
}

function parseSource(value: unknown, what: string): Source {
  const source = object(value, what);
  const measure = oneOf(source['measure'], MEASURES, `${what}.measure`);
  const one = rational(1n);
  return {
    select: parseSelector(source, what),
    measure,
    floor: parseAmount(source['floor'], `${what}.floor`, 0n),
    share:
      measure === 'BALANCE_ABOVE_FLOOR'
        ? parseFraction(source['share'], `${what}.share`, one)
        : measure === 'SHARE_OF_NET_INFLOW'
          ? parseFraction(source['share'], `${what}.share`)
          : one,
    rate: measure === 'DEMURRAGE' ? parseFraction(source['rate'], `${what}.rate`) : rational(0n),
    threshold: measure === 'DEMURRAGE' ? parseAmount(source['threshold'], `${what}.threshold`, 0n) : 0n,
    amount: measure === 'FIXED' ? parseAmount(source['amount'], `${what}.amount`) : 0n,
  };
}

function parseDestination(value: unknown, what: string, leg: { split: SplitKind; weightBy: WeightKind }): Destination {
  const destination = object(value, what);
  const rank = destination['rank'] ?? 0;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank > MAX_RANK) {
    refuse(`${what}.rank is a whole number from 0 to ${MAX_RANK}`);
  }
  const weight =
    leg.split === 'PROPORTIONAL' && leg.weightBy === 'FIXED'
      ? parseAmount(destination['weight'], `${what}.weight`, 1n)
      : 1n;
  return {
    select: parseSelector(destination, what),
    weight,
    cap:
      destination['cap'] === undefined || destination['cap'] === null
        ? null
        : parseAmount(destination['cap'], `${what}.cap`),
    rank,
    needFloor:
      leg.split === 'PROPORTIONAL' && leg.weightBy === 'NEED'
        ? parseAmount(destination['needFloor'], `${what}.needFloor`)
        : 0n,
  };
}

function parseLeg(value: unknown, what: string): Leg {
  const leg = object(value, what);
  const split = oneOf(leg['split'], SPLITS, `${what}.split`);
  const weightBy = split === 'PROPORTIONAL' ? oneOf(leg['weightBy'], WEIGHTS, `${what}.weightBy`, 'FIXED') : 'FIXED';
  const hoursUnitCode = weightBy === 'HOURS_GIVEN' ? text(leg['hoursUnitCode'], `${what}.hoursUnitCode`, 16) : null;
  const sources = list(leg['sources'], `${what}.sources`, MAX_SELECTORS).map((source, index) =>
    parseSource(source, `${what}.sources[${index}]`),
  );
  const destinations = list(leg['destinations'], `${what}.destinations`, MAX_SELECTORS).map((destination, index) =>
    parseDestination(destination, `${what}.destinations[${index}]`, { split, weightBy }),
  );
  return {
    name: leg['name'] === undefined || leg['name'] === '' ? '' : text(leg['name'], `${what}.name`),
    split,
    weightBy,
    hoursUnitCode,
    sources,
    destinations,
  };
}

/** Checks a policy document as a motion's parameters carry it. */
export function parsePolicyDocument(value: unknown): ParsedPolicy {
  try {
    const document = object(value, 'the policy');
    const policy: PolicyDocument = {
      name: text(document['name'], 'name'),
      unitCode: text(document['unitCode'], 'unitCode', 16),
      apportionment: oneOf(document['apportionment'], APPORTIONMENT_METHODS, 'apportionment', 'LARGEST_REMAINDER'),
      cadence:
        document['cadence'] === undefined || document['cadence'] === null
          ? null
          : oneOf(document['cadence'], CADENCES, 'cadence'),
      legs: list(document['legs'], 'legs', MAX_LEGS).map((leg, index) => parseLeg(leg, `legs[${index}]`)),
    };
    return { ok: true, policy };
  } catch (error) {
    if (error instanceof Problem) return { ok: false, problem: error.message };
    throw error;
  }
}

function fraction(value: Rational): string {
  return `${value.numerator}/${value.denominator}`;
}

function selectorJson(select: Selector): Record<string, unknown> {
  return 'accountId' in select ? { accountId: select.accountId } : { accountSet: { ...select.accountSet } };
}

/** The document as stored and shown: every default spelled out, amounts as strings, fractions as "n/d". */
export function policyJson(policy: PolicyDocument): Record<string, unknown> {
  return {
    name: policy.name,
    unitCode: policy.unitCode,
    apportionment: policy.apportionment,
    cadence: policy.cadence,
    legs: policy.legs.map((leg) => ({
      name: leg.name,
      split: leg.split,
      weightBy: leg.weightBy,
      hoursUnitCode: leg.hoursUnitCode,
      sources: leg.sources.map((source) => ({
        ...selectorJson(source.select),
        measure: source.measure,
        floor: source.floor.toString(),
        ...(source.measure === 'BALANCE_ABOVE_FLOOR' || source.measure === 'SHARE_OF_NET_INFLOW'
          ? { share: fraction(source.share) }
          : {}),
        ...(source.measure === 'DEMURRAGE'
          ? { rate: fraction(source.rate), threshold: source.threshold.toString() }
          : {}),
        ...(source.measure === 'FIXED' ? { amount: source.amount.toString() } : {}),
      })),
      destinations: leg.destinations.map((destination) => ({
        ...selectorJson(destination.select),
        weight: destination.weight.toString(),
        cap: destination.cap?.toString() ?? null,
        rank: destination.rank,
        ...(leg.weightBy === 'NEED' && leg.split === 'PROPORTIONAL'
          ? { needFloor: destination.needFloor.toString() }
          : {}),
      })),
    })),
  };
}

/** Every account set a policy names (the organisations whose members' accounts it reads). */
export function selectorsOf(policy: PolicyDocument): Selector[] {
  return policy.legs.flatMap((leg) => [...leg.sources.map((s) => s.select), ...leg.destinations.map((d) => d.select)]);
}
