import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assert } from '../kernel/assert.js';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { requireUuid, stepId } from '../kernel/ids.js';
import { nameOf, rolesIn, systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { SchedulerService, type Occurrence } from '../kernel/scheduling/scheduler.service.js';
import { GovernanceService } from '../governance/governance.service.js';
import type { AssemblyRecord, MotionRecord } from '../governance/governance.records.js';
import { AccountsService } from '../ledger/accounts.service.js';
import type { AccountRecord, LedgerRequest } from '../ledger/ledger.records.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { REDISTRIBUTION_ERRORS } from './redistribution.errors.js';
import type { PolicyRecord, PolicyVersionRecord, RunLineRecord, RunRecord } from './redistribution.records.js';
import { RedistributionRepository } from './redistribution.repository.js';
import { CADENCE_CRON, periodEndingAt, periodProblem, type Period } from './rules/periods.js';
import {
  planRun,
  type AccountFacts,
  type DestinationFacts,
  type LegFacts,
  type RunPlan,
  type SourceFacts,
} from './rules/plan-run.js';
import { parsePolicyDocument, policyJson, type PolicyDocument, type Selector } from './rules/policy-document.js';

/** Motion effects this module offers to governance. */
export const ADOPT_POLICY = 'redistribution.adopt-policy';
export const RETIRE_POLICY = 'redistribution.retire-policy';
/** Scheduled work: a policy's run at each occurrence of its cadence. */
export const RUN_POLICY = 'redistribution.run-policy';
const RUN_STEP = 'redistribution.run';
const TRANSFER_STEP = 'redistribution.transfer';
const REVERSAL_STEP = 'redistribution.reversal';
/** The system actor that writes runs: it may move value out of exactly the run's source accounts. */
const RUNS_ACTOR = 'redistribution.runs';
const SCHEDULE_ACTOR = 'redistribution.schedule';
/** The most accounts one run reads and moves (sources and destinations together). */
export const MAX_RUN_ACCOUNTS = 200_000;
const RUNNERS = ['TREASURER', 'ADMIN'];
/** Transactions per call of the ledger's applyGroup (64 of at most 64 entries: 4 096 entries). */
const GROUP_SLICE = 64;

type Params = Readonly<Record<string, unknown>>;

/** A run's line as a reader sees it: an account hidden from them is folded into an aggregate (no id). */
export interface VisibleLine extends Omit<RunLineRecord, 'accountId'> {
  readonly accountId: string | null;
  /** The position in the run's lines the page continues after. */
  readonly cursorKey: { readonly leg: number; readonly role: string; readonly accountId: string };
}

/** How much of an organisation's redistribution a reader sees. */
type View = 'MEMBER' | 'FEDERATION';

export interface RunPreview {
  readonly policy: PolicyRecord;
  readonly version: number;
  readonly period: Period;
  readonly plan: RunPlan;
  /** Names the books the plan was computed from: execute with it to refuse a plan that went stale. */
  readonly digest: string;
  /** The run already made for this version and period, if any (executing it again replays it). */
  readonly existingRun: RunRecord | null;
}

interface Computed {
  readonly plan: RunPlan;
  readonly digest: string;
  readonly sourceIds: readonly string[];
}

/**
 * Redistribution policies and runs. A policy is adopted, changed (a new version) or retired only by a
 * passed motion, through the effects `redistribution.adopt-policy` { policyId?, policy } and
 * `redistribution.retire-policy` { policyId }. A run of the policy's current version over a period is
 * previewed (computed, nothing written), then executed in one database transaction: the accounts locked in
 * id order, the plan computed again, compared with the preview's digest, stored line by line, and its
 * transfers written as one ledger group under the run's authority, by a system actor allowed to debit the
 * run's sources only. The run's id comes from policy, version and period, so a second execution (or a
 * concurrent one, serialised by an advisory lock on that id) replays the first. A policy with a cadence is
 * run by the scheduler at each occurrence, for the period just ended.
 *
 * Who: the organisation's members see its policies, previews and runs; its TREASURER or ADMIN executes
 * and reverses runs. Staleness: an execution with a digest other than the books' is refused
 * (STALE_PREVIEW), never silently re-previewed, so nobody executes numbers they did not see.
 */
@Injectable()
export class RedistributionService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RedistributionRepository) private readonly repository: RedistributionRepository,
    @Inject(GovernanceService) private readonly governance: GovernanceService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.governance.registerEffect(ADOPT_POLICY, {
      check: (manager, { assembly, params }) => this.checkAdoption(manager, assembly, params),
      apply: (manager, { motion, assembly, params }) => this.adopt(manager, motion, assembly, params),
    });
    this.governance.registerEffect(RETIRE_POLICY, {
      check: (manager, { assembly, params }) => this.checkRetirement(manager, assembly, params),
      apply: (manager, { motion, assembly, params }) => this.retire(manager, motion, assembly, params),
    });
    this.scheduler.register(RUN_POLICY, (occurrence) => this.runScheduled(occurrence));
  }

  // Policies, decided by motions

  private async checkAdoption(
    manager: EntityManager,
    assembly: AssemblyRecord,
    params: Params,
  ): Promise<Record<string, unknown>> {
    const parsed = parsePolicyDocument(params['policy']);
    if (!parsed.ok) invalid(parsed.problem);
    const policy = parsed.policy;
    let policyId: string;
    if (params['policyId'] === undefined || params['policyId'] === null) {
      policyId = randomUUID();
    } else {
      if (typeof params['policyId'] !== 'string') invalid('policyId is the id of a policy of this organisation');
      const existing = await this.requirePolicy(manager, params['policyId']);
      if (existing.organizationId !== assembly.organizationId) {
        invalid('policyId is the id of a policy of the deciding organisation');
      }
      if (existing.status === 'RETIRED') retired(existing.id);
      if (existing.unitCode !== policy.unitCode) invalid(`a new version stays in the unit ${existing.unitCode}`);
      policyId = existing.id;
    }
    await this.checkPolicyAccounts(manager, assembly.organizationId, policy);
    return { policyId, policy: policyJson(policy) };
  }

  /** What the deciding organisation may name: its own accounts and its members' as sources, any as destination. */
  private async checkPolicyAccounts(manager: EntityManager, organizationId: string, policy: PolicyDocument) {
    const unit = await this.accounts
      .unit(policy.unitCode)
      .catch(() => invalid(`unit ${policy.unitCode} does not exist`));
    const members = await this.membersOf(manager, organizationId);
    const memberOrganizations = new Set(
      (await this.organizations.federationMemberships({ federationId: organizationId, memberId: null }))
        .filter((membership) => membership.status === 'ACTIVE')
        .map((membership) => membership.memberId),
    );
    const mayTakeFrom = (holderId: string) =>
      holderId === organizationId || members.includes(holderId) || memberOrganizations.has(holderId);
    for (const [index, leg] of policy.legs.entries()) {
      if (leg.hoursUnitCode !== null) {
        const hours = await this.accounts.unit(leg.hoursUnitCode).catch(() => null);
        if (hours?.kind !== 'HOURS') invalid(`legs[${index}].hoursUnitCode names a unit of hours`);
      }
      const check = async (select: Selector, what: string, source: boolean) => {
        if ('accountId' in select) {
          const [account] = await this.accounts.accountsIn(manager, [select.accountId]);
          if (account === undefined) invalid(`${what}: account ${select.accountId} does not exist`);
          if (account.unitCode !== unit.code) invalid(`${what}: account ${account.id} is not in ${unit.code}`);
          if (source && !mayTakeFrom(account.holderId)) {
            invalid(`${what}: account ${account.id} is held by neither the organisation nor one of its members`);
          }
        } else {
          const setOrganization = select.accountSet.organizationId;
          await this.organizations
            .requireOrganization(manager, setOrganization)
            .catch(() => invalid(`${what}: organisation ${setOrganization} does not exist`));
          if (source && setOrganization !== organizationId && !memberOrganizations.has(setOrganization)) {
            invalid(`${what}: takes only from the members of the organisation or of its member organisations`);
          }
        }
      };
      for (const [at, source] of leg.sources.entries())
        await check(source.select, `legs[${index}].sources[${at}]`, true);
      for (const [at, destination] of leg.destinations.entries()) {
        await check(destination.select, `legs[${index}].destinations[${at}]`, false);
      }
    }
  }

  private async adopt(
    manager: EntityManager,
    motion: MotionRecord,
    assembly: AssemblyRecord,
    params: Params,
  ): Promise<Record<string, unknown>> {
    const parsed = parsePolicyDocument(params['policy']);
    if (!parsed.ok) invalid(parsed.problem);
    const policy = parsed.policy;
    const policyId = requireUuid(String(params['policyId']), 'policyId');
    const existing = await this.repository.findPolicy(manager, policyId, true);
    let version = 1;
    if (existing === null) {
      await this.repository.insertPolicy(manager, {
        id: policyId,
        organizationId: assembly.organizationId,
        unitCode: policy.unitCode,
        name: policy.name,
      });
    } else {
      if (existing.status === 'RETIRED') retired(existing.id);
      version = existing.currentVersion + 1;
      await this.repository.setCurrentVersion(manager, policyId, version, policy.name);
    }
    const document = policyJson(policy);
    await this.repository.insertVersion(manager, { policyId, version, document, motionId: motion.id });
    if (policy.cadence === null) await this.scheduler.cancel(manager, RUN_POLICY, policyId);
    else {
      await this.scheduler.every(manager, {
        work: RUN_POLICY,
        key: policyId,
        cron: CADENCE_CRON[policy.cadence],
        catchUp: 'EACH',
        data: { policyId },
      });
    }
    await this.audit.record(manager, {
      actor: systemPrincipal(RUNS_ACTOR, {}),
      action: 'REDISTRIBUTION_POLICY_ADOPTED',
      organizationId: assembly.organizationId,
      subject: { type: 'REDISTRIBUTION_POLICY', id: policyId },
      after: { version, motionId: motion.id, document },
    });
    return { policyId, version };
  }

  private async checkRetirement(
    manager: EntityManager,
    assembly: AssemblyRecord,
    params: Params,
  ): Promise<Record<string, unknown>> {
    if (typeof params['policyId'] !== 'string') invalid('policyId is the id of a policy of this organisation');
    const policy = await this.requirePolicy(manager, params['policyId']);
    if (policy.organizationId !== assembly.organizationId) {
      invalid('policyId is the id of a policy of the deciding organisation');
    }
    if (policy.status === 'RETIRED') retired(policy.id);
    return { policyId: policy.id };
  }

  private async retire(
    manager: EntityManager,
    motion: MotionRecord,
    assembly: AssemblyRecord,
    params: Params,
  ): Promise<Record<string, unknown>> {
    const policy = await this.requirePolicy(manager, String(params['policyId']), true);
    if (policy.status === 'RETIRED') retired(policy.id);
    await this.repository.retirePolicy(manager, policy.id, motion.id);
    await this.scheduler.cancel(manager, RUN_POLICY, policy.id);
    await this.audit.record(manager, {
      actor: systemPrincipal(RUNS_ACTOR, {}),
      action: 'REDISTRIBUTION_POLICY_RETIRED',
      organizationId: assembly.organizationId,
      subject: { type: 'REDISTRIBUTION_POLICY', id: policy.id },
      after: { motionId: motion.id },
    });
    return { policyId: policy.id };
  }

  // Reading

  async policy(principal: Principal, id: string): Promise<PolicyRecord> {
    const policy = await this.requirePolicy(this.dataSource.manager, id);
    await this.viewOf(principal, policy.organizationId);
    return policy;
  }

  /**
   * The organisation's members see everything; the members of the federations above it see its policies and
   * runs, with the lines of accounts they may not see folded into aggregates; nobody else sees anything.
   */
  private async viewOf(principal: Principal, organizationId: string): Promise<View> {
    if (rolesIn(principal, organizationId).size > 0) return 'MEMBER';
    const federations = (await this.organizations.federationsAbove([organizationId])).get(organizationId) ?? [];
    if (federations.some((federationId) => rolesIn(principal, federationId).size > 0)) return 'FEDERATION';
    return notVisible(organizationId);
  }

  async policies(
    principal: Principal,
    filter: { organizationId: string; after: { at: Date; id: string } | null; limit: number },
  ): Promise<PolicyRecord[]> {
    const organizationId = requireUuid(filter.organizationId, 'organizationId');
    await this.viewOf(principal, organizationId);
    return this.repository.listPolicies(this.dataSource.manager, { ...filter, organizationId });
  }

  async versions(principal: Principal, policyId: string): Promise<PolicyVersionRecord[]> {
    await this.policy(principal, policyId);
    return this.repository.listVersions(this.dataSource.manager, policyId);
  }

  async runs(
    principal: Principal,
    filter: { policyId: string; after: { at: Date; id: string } | null; limit: number },
  ): Promise<RunRecord[]> {
    await this.policy(principal, filter.policyId);
    return this.repository.listRuns(this.dataSource.manager, filter);
  }

  async run(principal: Principal, id: string): Promise<RunRecord> {
    const run = await this.requireRun(this.dataSource.manager, id);
    await this.policy(principal, run.policyId);
    return run;
  }

  async lines(
    principal: Principal,
    filter: { runId: string; after: { leg: number; role: string; accountId: string } | null; first: number },
  ): Promise<{ lines: VisibleLine[]; hasNextPage: boolean; endKey: VisibleLine['cursorKey'] | null }> {
    const run = await this.requireRun(this.dataSource.manager, filter.runId);
    const policy = await this.requirePolicy(this.dataSource.manager, run.policyId);
    const view = await this.viewOf(principal, policy.organizationId);
    const fetched = await this.repository.listLines(this.dataSource.manager, {
      runId: filter.runId,
      after: filter.after,
      limit: filter.first + 1,
    });
    const rows = fetched.slice(0, filter.first);
    const last = rows.at(-1);
    const page = (lines: VisibleLine[]) => ({
      lines,
      hasNextPage: fetched.length > filter.first,
      endKey: last === undefined ? null : { leg: last.leg, role: last.role, accountId: last.accountId },
    });
    const shown = (row: RunLineRecord): VisibleLine => ({
      ...row,
      cursorKey: { leg: row.leg, role: row.role, accountId: row.accountId },
    });
    if (view === 'MEMBER') return page(rows.map(shown));
    // Outside the organisation: an account the reader may not see is never named; per leg and role, the page's
    // hidden lines become one aggregate.
    const visible: VisibleLine[] = [];
    const hidden = new Map<string, { lines: RunLineRecord[] }>();
    for (const row of rows) {
      if ((await this.accounts.visibleAccount(principal, row.accountId)) !== null) visible.push(shown(row));
      else {
        const key = `${row.leg}|${row.role}`;
        const group = hidden.get(key) ?? { lines: [] };
        group.lines.push(row);
        hidden.set(key, group);
      }
    }
    for (const { lines } of hidden.values()) {
      const last = lines.at(-1)!;
      visible.push({
        leg: last.leg,
        role: last.role,
        accountId: null,
        basis: lines.reduce((sum, line) => sum + line.basis, 0n),
        exactShare: null,
        amount: lines.reduce((sum, line) => sum + line.amount, 0n),
        explanation: `${lines.length} accounts whose balances only their holders' organisations see, together`,
        cursorKey: { leg: last.leg, role: last.role, accountId: last.accountId },
      });
    }
    const order = (line: VisibleLine) => `${line.cursorKey.leg}|${line.cursorKey.role}|${line.cursorKey.accountId}`;
    return page(visible.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)));
  }

  // Runs

  /** Computes the run of the policy's current version over the period, writing nothing. */
  async preview(principal: Principal, input: { policyId: string; period: Period }): Promise<RunPreview> {
    return runInTransaction(this.dataSource, 'REPEATABLE READ', async (manager) => {
      const policy = await this.requirePolicy(manager, input.policyId);
      requireMember(principal, policy);
      this.requirePeriod(input.period);
      if (policy.status === 'RETIRED') retired(policy.id);
      const version = await this.currentVersion(manager, policy);
      const computed = await this.compute(manager, policy, version, input.period, false);
      const existingRun = await this.repository.findRun(manager, runIdOf(policy, version.version, input.period));
      return {
        policy,
        version: version.version,
        period: input.period,
        plan: computed.plan,
        digest: computed.digest,
        existingRun,
      };
    });
  }

  /**
   * Executes the run the caller previewed (TREASURER or ADMIN): refused with STALE_PREVIEW if the books
   * moved since; replayed if it was made already.
   */
  async execute(
    principal: Principal,
    input: { policyId: string; period: Period; previewDigest: string },
  ): Promise<{ run: RunRecord; replayed: boolean }> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const policy = await this.requirePolicy(manager, input.policyId);
      requireMember(principal, policy);
      requireRunner(principal, policy);
      return this.executeIn(manager, principal, policy, input.period, input.previewDigest);
    });
  }

  private async executeIn(
    manager: EntityManager,
    principal: Principal,
    policy: PolicyRecord,
    period: Period,
    previewDigest: string | null,
  ): Promise<{ run: RunRecord; replayed: boolean }> {
    this.requirePeriod(period);
    const version = await this.currentVersion(manager, policy);
    const runId = runIdOf(policy, version.version, period);
    await this.repository.lockRun(manager, runId);
    const existing = await this.repository.findRun(manager, runId);
    if (existing !== null) return { run: existing, replayed: true };
    if (policy.status === 'RETIRED') retired(policy.id);
    const computed = await this.compute(manager, policy, version, period, true);
    if (previewDigest !== null && previewDigest !== computed.digest) {
      throw new DomainError(
        REDISTRIBUTION_ERRORS.STALE_PREVIEW,
        'The books moved since this preview: preview the run again, then execute what you see',
        { policyId: policy.id, version: version.version, previewDigest, currentDigest: computed.digest },
      );
    }
    const { plan } = computed;
    const legs = plan.legs.map((leg) => ({
      ...leg,
      transactionCount: plan.transfers.filter((transfer) => transfer.leg === leg.leg).length,
    }));
    const name = typeof version.document['name'] === 'string' ? version.document['name'] : policy.name;
    const requests: LedgerRequest[] = plan.transfers.map((transfer) => ({
      type: 'TRANSFER',
      id: stepId(TRANSFER_STEP, runId, String(transfer.leg), String(transfer.index)),
      unitCode: policy.unitCode,
      kind: 'REDISTRIBUTION',
      memo: `${name} · ${plan.legs[transfer.leg]?.name ?? ''} · ${period.start.toISOString()} – ${period.end.toISOString()}`.slice(
        0,
        500,
      ),
      metadata: [
        { key: 'redistribution.run', value: runId },
        { key: 'redistribution.leg', value: String(transfer.leg) },
      ],
      effectiveAt: null,
      hold: null,
      entries: transfer.entries,
    }));
    await this.repository.insertRun(
      manager,
      {
        id: runId,
        policyId: policy.id,
        version: version.version,
        periodStart: period.start,
        periodEnd: period.end,
        total: plan.total,
        transactionCount: requests.length,
        lineCount: plan.lines.length,
        digest: computed.digest,
        legs,
        executedBy: nameOf(principal),
      },
      plan.lines.map((line) => ({
        leg: line.leg,
        role: line.role,
        accountId: line.accountId,
        basis: line.basis,
        exactShare: line.exact === null ? null : `${line.exact.numerator}/${line.exact.denominator}`,
        amount: line.amount,
        explanation: line.explanation.slice(0, 2000),
      })),
    );
    const runner = systemPrincipal(RUNS_ACTOR, { accounts: new Set(computed.sourceIds) });
    // In slices: the ledger decides a batch's entries together, at a cost that grows faster than their number;
    // every account is already locked (compute), and all slices commit in this one database transaction.
    for (let start = 0; start < requests.length; start += GROUP_SLICE) {
      await this.ledger.applyGroup(
        manager,
        runner,
        { kind: 'REDISTRIBUTION_RUN', id: runId },
        requests.slice(start, start + GROUP_SLICE),
      );
    }
    await this.audit.record(manager, {
      actor: principal,
      action: 'REDISTRIBUTION_RUN_EXECUTED',
      organizationId: policy.organizationId,
      subject: { type: 'REDISTRIBUTION_RUN', id: runId },
      after: {
        policyId: policy.id,
        version: version.version,
        motionId: version.motionId,
        total: plan.total.toString(),
        transactions: requests.length,
      },
    });
    const run = await this.repository.findRun(manager, runId);
    assert(run !== null, 'the run just written is there');
    return { run, replayed: false };
  }

  /** Reverses every transfer of a run (TREASURER or ADMIN), all or none, recording who asked and why. */
  async reverse(principal: Principal, input: { runId: string; reason: string }): Promise<RunRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const run = await this.requireRun(manager, input.runId, true);
      const policy = await this.requirePolicy(manager, run.policyId);
      requireMember(principal, policy);
      requireRunner(principal, policy);
      if (run.status === 'REVERSED') {
        throw new DomainError(REDISTRIBUTION_ERRORS.RUN_ALREADY_REVERSED, `Run ${run.id} has been reversed already`, {
          runId: run.id,
          reversedAt: run.reversedAt?.toISOString() ?? null,
        });
      }
      const lines = await this.repository.listLines(manager, { runId: run.id, after: null, limit: run.lineCount + 1 });
      const transactionIds = run.legs.flatMap((leg) =>
        Array.from({ length: leg.transactionCount }, (_, index) =>
          stepId(TRANSFER_STEP, run.id, String(leg.leg), String(index)),
        ),
      );
      const requests: LedgerRequest[] = transactionIds.map((transactionId) => ({
        type: 'REVERSAL',
        id: stepId(REVERSAL_STEP, transactionId),
        transactionId,
        memo: `Reversal of redistribution run ${run.id}: ${input.reason}`.slice(0, 500),
        metadata: [{ key: 'redistribution.run', value: run.id }],
      }));
      const reverser = systemPrincipal(RUNS_ACTOR, {
        accounts: new Set(lines.filter((line) => line.amount > 0n).map((line) => line.accountId)),
      });
      // Every account of the run locked first, in id order, as the execution did: the slices then lock nothing new.
      await this.accounts.accountsIn(manager, [...new Set(lines.map((line) => line.accountId))].sort(), {
        lock: true,
      });
      for (let start = 0; start < requests.length; start += GROUP_SLICE) {
        await this.ledger.applyGroup(
          manager,
          reverser,
          { kind: 'REDISTRIBUTION_REVERSAL', id: run.id },
          requests.slice(start, start + GROUP_SLICE),
        );
      }
      await this.repository.markReversed(manager, run.id, nameOf(principal), input.reason);
      await this.audit.record(manager, {
        actor: principal,
        action: 'REDISTRIBUTION_RUN_REVERSED',
        organizationId: policy.organizationId,
        subject: { type: 'REDISTRIBUTION_RUN', id: run.id },
        after: { reason: input.reason },
      });
      const reversed = await this.repository.findRun(manager, run.id);
      assert(reversed !== null, 'the run is there');
      return reversed;
    });
  }

  /** A policy's scheduled run: the period just ended, as the system actor the adopting motion authorised. */
  private async runScheduled(occurrence: Occurrence): Promise<void> {
    const policyId = String(occurrence.data['policyId']);
    await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const policy = await this.repository.findPolicy(manager, policyId);
      if (policy === null || policy.status === 'RETIRED') return;
      const version = await this.currentVersion(manager, policy);
      const parsed = parsePolicyDocument(version.document);
      if (!parsed.ok || parsed.policy.cadence === null) return;
      const period = periodEndingAt(parsed.policy.cadence, occurrence.runAt);
      const actor = systemPrincipal(SCHEDULE_ACTOR, { organizations: new Set([policy.organizationId]) });
      await this.executeIn(manager, actor, policy, period, null);
    });
  }

  // Computing

  /** Gathers the facts of every leg (set-based: a few queries whatever the number of accounts) and plans. */
  private async compute(
    manager: EntityManager,
    policy: PolicyRecord,
    version: PolicyVersionRecord,
    period: Period,
    lock: boolean,
  ): Promise<Computed> {
    const parsed = parsePolicyDocument(version.document);
    assert(parsed.ok, 'a stored policy version is well formed');
    const document = parsed.policy;
    const setCache = new Map<string, string[]>();
    const resolve = async (select: Selector): Promise<string[]> => {
      if ('accountId' in select) return [select.accountId];
      const key = `${select.accountSet.organizationId}/${select.accountSet.kind}`;
      let ids = setCache.get(key);
      if (ids === undefined) {
        const holderIds = await this.holdersOf(manager, select.accountSet.organizationId);
        const accounts = await this.accounts.accountsOfHoldersIn(manager, {
          holderIds,
          unitCode: document.unitCode,
          kind: select.accountSet.kind,
        });
        ids = accounts.map((account) => account.id);
        setCache.set(key, ids);
      }
      return ids;
    };
    // Per leg: account id → the index of the first selector naming it (a named account and a set may overlap).
    const legSelections: { sources: Map<string, number>; destinations: Map<string, number> }[] = [];
    const allIds = new Set<string>();
    for (const leg of document.legs) {
      const sources = new Map<string, number>();
      const destinations = new Map<string, number>();
      for (const [index, source] of leg.sources.entries()) {
        for (const id of await resolve(source.select)) if (!sources.has(id)) sources.set(id, index);
      }
      for (const [index, destination] of leg.destinations.entries()) {
        for (const id of await resolve(destination.select)) if (!destinations.has(id)) destinations.set(id, index);
      }
      for (const id of [...sources.keys(), ...destinations.keys()]) allIds.add(id);
      legSelections.push({ sources, destinations });
    }
    if (allIds.size > MAX_RUN_ACCOUNTS) {
      throw new DomainError(
        REDISTRIBUTION_ERRORS.RUN_TOO_LARGE,
        `The run would touch ${allIds.size} accounts; a run touches at most ${MAX_RUN_ACCOUNTS}`,
        { accounts: allIds.size, max: MAX_RUN_ACCOUNTS },
      );
    }
    const sortedIds = [...allIds].sort();
    const records = await this.accounts.accountsIn(manager, sortedIds, { lock });
    const byId = new Map(
      records.filter((account) => account.unitCode === document.unitCode).map((account) => [account.id, account]),
    );

    // The period's flows of the sources measured by net inflow.
    const inflowIds = document.legs.flatMap((leg, index) =>
      leg.sources.some((source) => source.measure === 'SHARE_OF_NET_INFLOW')
        ? [...legSelections[index]!.sources.keys()]
        : [],
    );
    const netInflow = new Map<string, bigint>();
    if (inflowIds.length > 0) {
      for (const flow of await this.accounts.flowsIn(manager, [...new Set(inflowIds)], {
        from: period.start,
        to: period.end,
      })) {
        netInflow.set(flow.accountId, flow.credits - flow.debits);
      }
    }

    // Derived weights: minutes given (per hours unit) and members, per holder.
    const hoursGiven = new Map<string, Map<string, bigint>>();
    const hoursVersions: string[] = [];
    const memberCounts = new Map<string, bigint>();
    for (const [index, leg] of document.legs.entries()) {
      if (leg.split !== 'PROPORTIONAL') continue;
      const holders = [...new Set([...legSelections[index]!.destinations.keys()].map((id) => byId.get(id)?.holderId))]
        .filter((holder): holder is string => holder !== undefined)
        .sort();
      if (leg.weightBy === 'HOURS_GIVEN' && leg.hoursUnitCode !== null && !hoursGiven.has(leg.hoursUnitCode)) {
        const hourAccounts = await this.accounts.accountsOfHoldersIn(manager, {
          holderIds: holders,
          unitCode: leg.hoursUnitCode,
          kind: 'MEMBER',
        });
        const holderOf = new Map(hourAccounts.map((account) => [account.id, account.holderId]));
        const given = new Map<string, bigint>();
        for (const flow of await this.accounts.flowsIn(
          manager,
          hourAccounts.map((account) => account.id),
          { from: period.start, to: period.end },
        )) {
          const holder = holderOf.get(flow.accountId)!;
          given.set(holder, (given.get(holder) ?? 0n) + flow.credits);
        }
        hoursGiven.set(leg.hoursUnitCode, given);
        hoursVersions.push(...hourAccounts.map((account) => `${account.id}:${account.version}`));
      }
      if (leg.weightBy === 'MEMBERS') {
        for (const holder of holders) {
          if (!memberCounts.has(holder)) {
            memberCounts.set(holder, BigInt((await this.organizations.activeMembers(manager, holder)).length));
          }
        }
      }
    }

    const legs: LegFacts[] = document.legs.map((leg, index) => {
      const selection = legSelections[index]!;
      const sources: SourceFacts[] = [];
      for (const [id, at] of selection.sources) {
        const account = byId.get(id);
        if (account === undefined) continue;
        sources.push({ account: factsOf(account), source: leg.sources[at]!, netInflow: netInflow.get(id) ?? 0n });
      }
      const destinations: DestinationFacts[] = [];
      for (const [id, at] of selection.destinations) {
        const account = byId.get(id);
        if (account === undefined) continue;
        const derivedWeight =
          leg.weightBy === 'HOURS_GIVEN' && leg.hoursUnitCode !== null
            ? (hoursGiven.get(leg.hoursUnitCode)?.get(account.holderId) ?? 0n)
            : leg.weightBy === 'MEMBERS'
              ? (memberCounts.get(account.holderId) ?? 0n)
              : 0n;
        destinations.push({ account: factsOf(account), destination: leg.destinations[at]!, derivedWeight });
      }
      return { sources, destinations };
    });
    const plan = planRun(document, legs);
    const hash = createHash('sha256');
    hash.update(`${policy.id}|${version.version}|${period.start.toISOString()}|${period.end.toISOString()}\n`);
    for (const id of sortedIds) hash.update(`${id}:${byId.get(id)?.version ?? 'none'}\n`);
    for (const entry of hoursVersions.sort()) hash.update(`${entry}\n`);
    for (const [holder, count] of [...memberCounts].sort()) hash.update(`${holder}#${count}\n`);
    for (const line of plan.lines) hash.update(`${line.leg}|${line.role}|${line.accountId}|${line.amount}\n`);
    const sourceIds = [...new Set(plan.lines.filter((line) => line.role === 'SOURCE').map((line) => line.accountId))];
    return { plan, digest: hash.digest('hex'), sourceIds };
  }

  /** The holders whose accounts make up an organisation's account sets: its members, and its member organisations. */
  private async holdersOf(manager: EntityManager, organizationId: string): Promise<string[]> {
    const persons = await this.membersOf(manager, organizationId);
    const organizations = (
      await this.organizations.federationMemberships({ federationId: organizationId, memberId: null })
    )
      .filter((membership) => membership.status === 'ACTIVE')
      .map((membership) => membership.memberId);
    return [...new Set([...persons, ...organizations])];
  }

  private async membersOf(manager: EntityManager, organizationId: string): Promise<string[]> {
    return (await this.organizations.activeMembers(manager, organizationId)).map((membership) => membership.personId);
  }

  private requirePeriod(period: Period): void {
    const problem = periodProblem(period, this.clock.now());
    if (problem !== null) {
      throw new DomainError(REDISTRIBUTION_ERRORS.INVALID_PERIOD, `The period is not one a run covers: ${problem}`, {
        problem,
        start: period.start.toISOString(),
        end: period.end.toISOString(),
      });
    }
  }

  private async currentVersion(manager: EntityManager, policy: PolicyRecord): Promise<PolicyVersionRecord> {
    const version = await this.repository.findVersion(manager, policy.id, policy.currentVersion);
    assert(version !== null, 'a policy has its current version');
    return version;
  }

  private async requirePolicy(manager: EntityManager, id: string, lock = false): Promise<PolicyRecord> {
    const policyId = requireUuid(id, 'policyId');
    const policy = await this.repository.findPolicy(manager, policyId, lock);
    if (policy === null) {
      throw new DomainError(REDISTRIBUTION_ERRORS.POLICY_NOT_FOUND, `Policy ${policyId} does not exist`, { policyId });
    }
    return policy;
  }

  private async requireRun(manager: EntityManager, id: string, lock = false): Promise<RunRecord> {
    const runId = requireUuid(id, 'runId');
    const run = await this.repository.findRun(manager, runId, lock);
    if (run === null)
      throw new DomainError(REDISTRIBUTION_ERRORS.RUN_NOT_FOUND, `Run ${runId} does not exist`, { runId });
    return run;
  }
}

function runIdOf(policy: PolicyRecord, version: number, period: Period): string {
  return stepId(RUN_STEP, policy.id, String(version), period.start.toISOString(), period.end.toISOString());
}

function factsOf(account: AccountRecord): AccountFacts {
  return {
    id: account.id,
    holderId: account.holderId,
    status: account.status,
    creditLimit: account.creditLimit,
    upperLimit: account.upperLimit,
    balance: account.creditsPosted - account.debitsPosted,
    debitsPending: account.debitsPending,
    creditsPending: account.creditsPending,
  };
}

function requireMember(principal: Principal, policy: PolicyRecord): void {
  if (rolesIn(principal, policy.organizationId).size === 0) notVisible(policy.organizationId);
}

function requireRunner(principal: Principal, policy: PolicyRecord): void {
  const roles = rolesIn(principal, policy.organizationId);
  if (!RUNNERS.some((role) => roles.has(role))) {
    throw new DomainError(REDISTRIBUTION_ERRORS.MAY_NOT_RUN, 'Only a TREASURER or ADMIN executes or reverses a run', {
      organizationId: policy.organizationId,
      roles: RUNNERS,
    });
  }
}

function notVisible(organizationId: string): never {
  throw new DomainError(
    REDISTRIBUTION_ERRORS.POLICY_NOT_VISIBLE,
    "Only the organisation's members see its redistribution policies and runs",
    { organizationId },
  );
}

function invalid(problem: string): never {
  throw new DomainError(REDISTRIBUTION_ERRORS.INVALID_POLICY, `The policy cannot be adopted: ${problem}`, { problem });
}

function retired(policyId: string): never {
  throw new DomainError(REDISTRIBUTION_ERRORS.POLICY_RETIRED, `Policy ${policyId} was retired by a motion`, {
    policyId,
  });
}
