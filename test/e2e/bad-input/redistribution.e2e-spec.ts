/**
 * Goal: every redistribution operation (previewing, executing and reversing runs, reading policies and
 * runs, and the motion effects that adopt and retire policies) refuses malformed and hostile input with a
 * typed error and the reason docs/ERRORS.md gives it — kernel reasons for the shape (INVALID_INPUT, INVALID_ID,
 * INVALID_DATE, INVALID_CURSOR), redistribution's for what a policy and a period may be, NOT_FOUND for unknown
 * ids, STALE_PREVIEW for a digest that names other books — and changes nothing.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real service on its own
 * database, the snapshot of every table before and after, a leak scan, GET /health after it. The file's
 * fixtures: a co-op of the steward's (its ADMIN) with a fund in CWC, a members' assembly, and one policy
 * adopted by a passed motion.
 */
import { randomUUID } from 'node:crypto';
import { openAccount } from '../ledger/ledger-fixtures.js';
import {
  GOVERNANCE,
  createAssembly,
  inMinutes,
  propose,
  readMotion,
  runUntil,
  vote,
} from '../governance/governance-fixtures.js';
import { REDISTRIBUTION } from '../redistribution/redistribution-fixtures.js';
import { SQL_DROP, fx, gql, group, invalid, refused, runCatalogue, type Case, type Sent } from './catalogue.js';

const rx = { coopId: '', fund: '', assemblyId: '', policyId: '' };
const UNKNOWN = '3f9d2c1e-8b7a-4c6d-9e0f-1a2b3c4d5e6f';
const base = Date.now() - 30 * 24 * 60 * 60 * 1000;
const PERIOD = { periodStart: new Date(base).toISOString(), periodEnd: new Date(base + 60_000).toISOString() };
const DIGEST = 'a'.repeat(64);

const previewWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(REDISTRIBUTION.preview, { input: { policyId: rx.policyId, ...PERIOD, linesFirst: 10, ...override } });
const executeWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(REDISTRIBUTION.execute, { input: { policyId: rx.policyId, ...PERIOD, previewDigest: DIGEST, ...override } });
const reverseWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(REDISTRIBUTION.reverse, { input: { runId: UNKNOWN, reason: 'A mistake', ...override } });

function policy(override: Record<string, unknown> = {}, leg: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'A cent a period',
    unitCode: 'CWC',
    legs: [
      {
        split: 'EQUAL',
        sources: [{ accountId: rx.fund, measure: 'FIXED', amount: '1' }],
        destinations: [{ accountId: fx.bob }],
        ...leg,
      },
    ],
    ...override,
  };
}

const effectWith = (kind: string, params: unknown): Promise<Sent> =>
  gql(GOVERNANCE.proposeMotion, {
    input: {
      id: randomUUID(),
      assemblyId: rx.assemblyId,
      title: 'Share the surplus',
      closesAt: inMinutes(fx.app, 24 * 60).toISOString(),
      effect: { kind, params },
    },
  });
const adoptWith = (params: unknown): Promise<Sent> => effectWith('redistribution.adopt-policy', params);

const RUNS: readonly Case[] = [
  {
    name: 'preview: policyId "not-a-uuid"',
    send: () => previewWith({ policyId: 'not-a-uuid' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'preview: policyId with SQL in it',
    send: () => previewWith({ policyId: `${UNKNOWN}' OR '1'='1` }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'preview: an unknown policy',
    send: () => previewWith({ policyId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'POLICY_NOT_FOUND'),
  },
  {
    name: 'preview: periodStart "yesterday"',
    send: () => previewWith({ periodStart: 'yesterday' }),
    expect: invalid(),
  },
  {
    name: 'preview: periodEnd in the year 10000',
    send: () => previewWith({ periodEnd: '+010000-01-01T00:00:00.000Z' }),
    expect: invalid(),
  },
  {
    name: 'preview: a period that ends before it starts',
    send: () => previewWith({ periodStart: PERIOD.periodEnd, periodEnd: PERIOD.periodStart }),
    expect: invalid('INVALID_PERIOD'),
  },
  {
    name: 'preview: a period that has not ended',
    send: () => previewWith({ periodEnd: new Date(Date.now() + 365 * 24 * 3600_000).toISOString() }),
    expect: invalid('INVALID_PERIOD'),
  },
  {
    name: 'preview: a period of two years',
    send: () => previewWith({ periodStart: new Date(base - 2 * 365 * 24 * 3600_000).toISOString() }),
    expect: invalid('INVALID_PERIOD'),
  },
  { name: 'preview: linesFirst 0', send: () => previewWith({ linesFirst: 0 }), expect: invalid('INVALID_INPUT') },
  { name: 'preview: linesFirst 201', send: () => previewWith({ linesFirst: 201 }), expect: invalid('INVALID_INPUT') },
  { name: 'preview: linesFirst "ten"', send: () => previewWith({ linesFirst: 'ten' }), expect: invalid() },
  {
    name: 'preview: a cursor of no list',
    send: () => previewWith({ linesAfter: 'bm90LWEtY3Vyc29y' }),
    expect: invalid('INVALID_CURSOR'),
  },
  {
    name: 'preview: a cursor with SQL in it',
    send: () => previewWith({ linesAfter: SQL_DROP }),
    expect: invalid('INVALID_CURSOR'),
  },
  {
    name: 'execute: previewDigest "abc"',
    send: () => executeWith({ previewDigest: 'abc' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'execute: previewDigest with SQL in it',
    send: () => executeWith({ previewDigest: SQL_DROP }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'execute: a digest of other books',
    send: () => executeWith({}),
    expect: refused('CONFLICT', 'STALE_PREVIEW'),
  },
  {
    name: 'execute: an unknown policy',
    send: () => executeWith({ policyId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'POLICY_NOT_FOUND'),
  },
  {
    name: 'execute: a period that has not ended',
    send: () => executeWith({ periodEnd: new Date(Date.now() + 365 * 24 * 3600_000).toISOString() }),
    expect: invalid('INVALID_PERIOD'),
  },
  { name: 'reverse: an unknown run', send: () => reverseWith({}), expect: refused('NOT_FOUND', 'RUN_NOT_FOUND') },
  { name: 'reverse: runId 42', send: () => reverseWith({ runId: 42 }), expect: invalid() },
  { name: 'reverse: an empty reason', send: () => reverseWith({ reason: '' }), expect: invalid('INVALID_INPUT') },
  {
    name: 'reverse: a reason of 501 characters',
    send: () => reverseWith({ reason: 'x'.repeat(501) }),
    expect: invalid('INVALID_INPUT'),
  },
];

const READS: readonly Case[] = [
  {
    name: 'redistributionPolicy: id "not-a-uuid"',
    send: () => gql(REDISTRIBUTION.policy, { id: 'not-a-uuid' }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'redistributionPolicy: an unknown id',
    send: () => gql(REDISTRIBUTION.policy, { id: UNKNOWN }),
    expect: refused('NOT_FOUND', 'POLICY_NOT_FOUND'),
  },
  {
    name: 'redistributionRun: id with SQL in it',
    send: () => gql(REDISTRIBUTION.run, { id: SQL_DROP }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'redistributionRun: an unknown id',
    send: () => gql(REDISTRIBUTION.run, { id: UNKNOWN }),
    expect: refused('NOT_FOUND', 'RUN_NOT_FOUND'),
  },
  {
    name: 'redistributionPolicies: organizationId "nope"',
    send: () => gql(REDISTRIBUTION.policies, { organizationId: 'nope' }),
    expect: invalid('INVALID_INPUT'),
  },
];

const EFFECTS: readonly Case[] = [
  { name: 'adopt: no policy', send: () => adoptWith({}), expect: invalid('INVALID_POLICY') },
  {
    name: 'adopt: a policy as text',
    send: () => adoptWith({ policy: 'share it all' }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: no legs',
    send: () => adoptWith({ policy: policy({ legs: [] }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: eleven legs',
    send: () =>
      adoptWith({ policy: policy({ legs: Array.from({ length: 11 }, () => (policy()['legs'] as unknown[])[0]) }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: an amount as a float',
    send: () =>
      adoptWith({ policy: policy({}, { sources: [{ accountId: rx.fund, measure: 'FIXED', amount: '1.5' }] }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: an amount past 10^15',
    send: () =>
      adoptWith({
        policy: policy({}, { sources: [{ accountId: rx.fund, measure: 'FIXED', amount: '1000000000000000001' }] }),
      }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: a share of 3/2',
    send: () =>
      adoptWith({
        policy: policy({}, { sources: [{ accountId: rx.fund, measure: 'SHARE_OF_NET_INFLOW', share: '3/2' }] }),
      }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: a rate of 0.5.5',
    send: () =>
      adoptWith({ policy: policy({}, { sources: [{ accountId: rx.fund, measure: 'DEMURRAGE', rate: '0.5.5' }] }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: an unknown measure',
    send: () => adoptWith({ policy: policy({}, { sources: [{ accountId: rx.fund, measure: 'TITHE' }] }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: an unknown method',
    send: () => adoptWith({ policy: policy({ apportionment: 'COIN_TOSS' }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: an unknown unit',
    send: () => adoptWith({ policy: policy({ unitCode: 'NOPE' }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: an account that does not exist',
    send: () => adoptWith({ policy: policy({}, { destinations: [{ accountId: UNKNOWN }] }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: an account of another unit',
    send: () => adoptWith({ policy: policy({}, { destinations: [{ accountId: fx.hours }] }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: taking from an account held by someone else than the co-op or its members',
    send: () =>
      adoptWith({ policy: policy({}, { sources: [{ accountId: fx.alice, measure: 'FIXED', amount: '1' }] }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: hours given in a unit that is not of hours',
    send: () =>
      adoptWith({ policy: policy({}, { split: 'PROPORTIONAL', weightBy: 'HOURS_GIVEN', hoursUnitCode: 'CWC' }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: an account set of an unknown organisation',
    send: () =>
      adoptWith({
        policy: policy({}, { destinations: [{ accountSet: { organizationId: UNKNOWN, kind: 'MEMBER' } }] }),
      }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: an account id with SQL in it',
    send: () =>
      adoptWith({ policy: policy({}, { destinations: [{ accountId: `${UNKNOWN}'; DROP TABLE entry; --` }] }) }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'adopt: a new version of an unknown policy',
    send: () => adoptWith({ policyId: UNKNOWN, policy: policy() }),
    expect: refused('NOT_FOUND', 'POLICY_NOT_FOUND'),
  },
  {
    name: 'adopt: a new version in another unit',
    send: () =>
      adoptWith({
        policyId: rx.policyId,
        policy: policy(
          { unitCode: 'HOUR' },
          {
            destinations: [{ accountId: fx.hours }],
            sources: [{ accountId: fx.hours, measure: 'FIXED', amount: '1' }],
          },
        ),
      }),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'retire: no policyId',
    send: () => effectWith('redistribution.retire-policy', {}),
    expect: invalid('INVALID_POLICY'),
  },
  {
    name: 'retire: an unknown policy',
    send: () => effectWith('redistribution.retire-policy', { policyId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'POLICY_NOT_FOUND'),
  },
];

runCatalogue('redistribution', [...group('runs', RUNS), ...group('reads', READS), ...group('effects', EFFECTS)], {
  fixtures: async () => {
    const app = fx.app;
    rx.coopId = (
      await app.ok(GOVERNANCE.createOrganization, {
        input: { kind: 'COOPERATIVE', name: 'Bakers', slug: 'redis-bakers' },
      })
    )['createOrganization'].id as string;
    rx.fund = await openAccount(app, { holderId: rx.coopId, kind: 'FUND' });
    rx.assemblyId = await createAssembly(app, rx.coopId);
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, app.steward.token, rx.assemblyId, {
      closesAt: closesAt.toISOString(),
      effect: { kind: 'redistribution.adopt-policy', params: { policy: policy() } },
    });
    await vote(app, app.steward.token, motionId, { choice: 'YES' });
    await runUntil(app, closesAt);
    rx.policyId = String((await readMotion(app, motionId)).outcome!.effectDetail['policyId']);
  },
});
