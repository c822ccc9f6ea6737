import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import type { Position } from '../kernel/graphql/cursor.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { stepId } from '../kernel/ids.js';
import { systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { SchedulerService } from '../kernel/scheduling/scheduler.service.js';
import { AccountsService } from '../ledger/accounts.service.js';
import type { LedgerRequest } from '../ledger/ledger.records.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { AssembliesService } from './assemblies.service.js';
import { EffectRegistry } from './effect-registry.js';
import { GOVERNANCE_ERRORS } from './governance.errors.js';
import type {
  AssemblyRecord,
  BallotChoice,
  BallotRecord,
  BudgetTerms,
  EffectStatus,
  MotionEffect,
  MotionRecord,
  MotionVoterRecord,
  OutcomeRecord,
} from './governance.records.js';
import { GovernanceRepository } from './governance.repository.js';
import { canonicalJson } from './rules/canonical-json.js';
import type { Delegation } from './rules/delegation.js';
import { mayPropose, mayWithdraw, type AssemblyView } from './rules/governance-access.js';
import { ballotProblem, motionProblem, type MotionTerms } from './rules/motion-terms.js';
import { isFinal, tallyMotion, type MotionTally, type TallyInput } from './rules/motion-tally.js';

export const OPEN_MOTION = 'governance.open-motion';
export const CLOSE_MOTION = 'governance.close-motion';
/** Who opens and closes motions and applies their effects, as named in the audit log and on transactions. */
const MOTIONS_ACTOR = 'governance.motions';
const BUDGET_PAYOUT = 'governance.budget-payout';

/** A motion as its reader sees it: the record, and how much of its assembly the reader sees. */
export interface VisibleMotion {
  readonly motion: MotionRecord;
  readonly assembly: AssemblyRecord;
  readonly view: Exclude<AssemblyView, 'NONE'>;
}

export type NewMotion = Omit<MotionTerms, 'opensAt'> & {
  readonly id: string;
  readonly assemblyId: string;
  readonly resultsHidden: boolean;
  readonly opensAt: Date | null;
};

export interface CastResult {
  readonly motion: MotionRecord;
  /** The open ballot as stored; null for a secret ballot. */
  readonly ballot: BallotRecord | null;
  /** A secret ballot's receipt, returned this once: whoever holds it may replace the ballot until close. */
  readonly receipt: string | null;
}

export interface Recount {
  readonly motionId: string;
  readonly matches: boolean;
  readonly passed: boolean;
  readonly tally: Readonly<Record<string, unknown>>;
  readonly view: Exclude<AssemblyView, 'NONE'>;
}

/**
 * Motions: proposed, opened with their voters fixed, voted on, closed at their instant by the scheduler (or
 * early, when their ballots are final and the outcome can no longer change), tallied from the stored
 * ballots, and their effect applied with the motion as its authority in the transaction that records the
 * outcome. Voting takes the motion's row FOR SHARE and closing FOR UPDATE, so no ballot is written after
 * the tally read them; one voter's ballots are written one at a time (their voter row FOR UPDATE).
 */
@Injectable()
export class MotionsService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GovernanceRepository) private readonly repository: GovernanceRepository,
    @Inject(AssembliesService) private readonly assemblies: AssembliesService,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(EffectRegistry) private readonly registry: EffectRegistry,
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(OPEN_MOTION, async (occurrence) => {
      await this.openScheduled(occurrence.key);
    });
    this.scheduler.register(CLOSE_MOTION, async (occurrence) => {
      await this.close(occurrence.key, 'ON_TIME');
    });
  }

  /** Proposes a motion; it opens at once, or at its opening instant. A client-chosen id makes it idempotent. */
  async propose(principal: Principal, input: NewMotion): Promise<MotionRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const assembly = await this.assemblies.requireAssembly(manager, input.assemblyId);
      const existing = await this.repository.findMotion(manager, input.id);
      if (existing !== null) {
        if (existing.assemblyId === assembly.id && existing.proposedBy === personId) return existing;
        throw new DomainError(GOVERNANCE_ERRORS.ID_TAKEN, `The id ${input.id} names another motion`, { id: input.id });
      }
      if (!mayPropose(assembly.kind, await this.assemblies.facts(principal, assembly, false))) {
        throw new DomainError(GOVERNANCE_ERRORS.MAY_NOT_PROPOSE, 'You may not propose motions in this assembly', {
          assemblyId: assembly.id,
        });
      }
      const now = this.clock.now();
      const terms: MotionTerms = { ...input, title: input.title.trim(), opensAt: input.opensAt ?? now };
      const problem = motionProblem(terms, now);
      if (problem !== null) {
        throw new DomainError(GOVERNANCE_ERRORS.INVALID_MOTION, `The motion is not well formed: ${problem}`, {
          problem,
        });
      }
      if (terms.budget !== null) await this.checkBudget(manager, assembly, terms.budget);
      const effect =
        terms.effect === null
          ? null
          : {
              kind: terms.effect.kind,
              params: await this.registry.effect(terms.effect.kind).check(manager, {
                assembly,
                params: terms.effect.params,
              }),
            };
      const motion = await this.repository.insertMotion(manager, {
        ...terms,
        id: input.id,
        assemblyId: assembly.id,
        effect,
        resultsHidden: input.resultsHidden,
        status: 'SCHEDULED',
        proposedBy: personId,
        createdAt: now,
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'MOTION_PROPOSED',
        organizationId: assembly.organizationId,
        subject: { type: 'MOTION', id: motion.id },
        after: motionJson(motion),
      });
      await this.scheduler.at(manager, { work: CLOSE_MOTION, key: motion.id, runAt: motion.closesAt });
      if (motion.opensAt <= now) return this.openIn(manager, motion, assembly, principal);
      await this.scheduler.at(manager, { work: OPEN_MOTION, key: motion.id, runAt: motion.opensAt });
      return motion;
    });
  }

  /** Withdraws a motion before it closes (its proposer or an ADMIN): no outcome, no effect. */
  async withdraw(principal: Principal, motionId: string): Promise<MotionRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const motion = await this.requireMotion(manager, motionId, 'UPDATE');
      const assembly = await this.assemblies.requireAssembly(manager, motion.assemblyId);
      await this.assemblies.requireView(principal, assembly);
      if (!mayWithdraw(await this.assemblies.facts(principal, assembly, false), motion.proposedBy === personId)) {
        throw new DomainError(GOVERNANCE_ERRORS.MAY_NOT_WITHDRAW, 'Only its proposer or an ADMIN withdraws a motion', {
          motionId,
        });
      }
      if (motion.status === 'WITHDRAWN') return motion;
      if (motion.status === 'CLOSED' || this.clock.now() >= motion.closesAt) {
        throw new DomainError(GOVERNANCE_ERRORS.MOTION_CLOSED, 'The motion has closed', { motionId });
      }
      await this.repository.setMotionStatus(manager, motion.id, 'WITHDRAWN');
      await this.scheduler.cancel(manager, OPEN_MOTION, motion.id);
      await this.scheduler.cancel(manager, CLOSE_MOTION, motion.id);
      await this.audit.record(manager, {
        actor: principal,
        action: 'MOTION_WITHDRAWN',
        organizationId: assembly.organizationId,
        subject: { type: 'MOTION', id: motion.id },
        before: { status: motion.status },
        after: { status: 'WITHDRAWN' },
      });
      return { ...motion, status: 'WITHDRAWN' };
    });
  }

  /**
   * Casts (or, where the motion allows, changes) the caller's ballot. An open ballot is kept with its voter
   * and every version; a secret one apart from its voter, with a receipt returned once. The same open ballot
   * cast again changes nothing.
   */
  async cast(
    principal: Principal,
    input: { motionId: string; voterId: string | null; choice: BallotChoice; reason: string },
  ): Promise<CastResult> {
    requirePerson(principal);
    const result = await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const { motion, voters } = await this.openForVoter(manager, principal, input.motionId);
      const voter = pickVoter(voters, input.voterId);
      checkBallot(motion, input.choice, input.reason);
      if (motion.secret) {
        if (await this.repository.hasParticipated(manager, motion.id, voter.voterId)) {
          throw new DomainError(GOVERNANCE_ERRORS.ALREADY_VOTED, 'You have cast your secret ballot on this motion', {
            motionId: motion.id,
          });
        }
        const receipt = randomBytes(24).toString('base64url');
        await this.repository.castSecretBallot(manager, {
          motionId: motion.id,
          voterId: voter.voterId,
          id: randomUUID(),
          receiptHash: receiptHash(receipt),
          weight: voter.weight,
          choice: input.choice,
          reason: input.reason,
        });
        return { motion, ballot: null, receipt };
      }
      const existing = await this.repository.findBallot(manager, motion.id, voter.voterId);
      if (existing !== null && sameBallot(existing, input)) return { motion, ballot: existing, receipt: null };
      if (existing !== null && !motion.changeable) {
        throw new DomainError(GOVERNANCE_ERRORS.BALLOT_FINAL, 'Ballots on this motion cannot be changed', {
          motionId: motion.id,
        });
      }
      const ballot: BallotRecord = {
        motionId: motion.id,
        voterId: voter.voterId,
        choice: input.choice,
        reason: input.reason,
        version: (existing?.version ?? 0) + 1,
        castAt: this.clock.now(),
      };
      await this.repository.saveBallot(manager, ballot);
      return { motion, ballot, receipt: null };
    });
    if (result.motion.earlyClose) await this.close(result.motion.id, 'EARLY');
    return result;
  }

  /** Replaces a secret ballot, by the receipt its voter was given, where the motion allows changes. */
  async changeSecretBallot(
    principal: Principal,
    input: { motionId: string; receipt: string; choice: BallotChoice; reason: string },
  ): Promise<MotionRecord> {
    requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const { motion, voters } = await this.openForVoter(manager, principal, input.motionId);
      if (!motion.secret) {
        const problem = 'an open ballot is changed by casting it again';
        throw new DomainError(GOVERNANCE_ERRORS.INVALID_BALLOT, `The ballot does not fit the motion: ${problem}`, {
          problem,
        });
      }
      if (!motion.changeable) {
        throw new DomainError(GOVERNANCE_ERRORS.BALLOT_FINAL, 'Ballots on this motion cannot be changed', {
          motionId: motion.id,
        });
      }
      const participated = await Promise.all(
        voters.map((voter) => this.repository.hasParticipated(manager, motion.id, voter.voterId)),
      );
      if (!participated.some(Boolean)) {
        throw new DomainError(GOVERNANCE_ERRORS.NOT_A_VOTER, 'You have cast no ballot on this motion', {
          motionId: motion.id,
        });
      }
      checkBallot(motion, input.choice, input.reason);
      const changed = await this.repository.changeSecretBallot(
        manager,
        motion.id,
        receiptHash(input.receipt),
        input.choice,
        input.reason,
      );
      if (!changed) {
        throw new DomainError(GOVERNANCE_ERRORS.UNKNOWN_RECEIPT, 'No ballot of this motion has this receipt', {
          motionId: motion.id,
        });
      }
      return motion;
    });
  }

  // Reads

  async motion(principal: Principal, id: string): Promise<VisibleMotion> {
    const motion = await this.requireMotion(this.dataSource.manager, id, null);
    const { assembly, view } = await this.assemblies.assembly(principal, motion.assemblyId);
    return { motion, assembly, view };
  }

  async motions(
    principal: Principal,
    filter: {
      assemblyId: string;
      status: MotionRecord['status'] | null;
      after: Position | null;
      limit: number;
    },
  ): Promise<VisibleMotion[]> {
    const { assembly, view } = await this.assemblies.assembly(principal, filter.assemblyId);
    const motions = await this.repository.listMotions(this.dataSource.manager, filter);
    return motions.map((motion) => ({ motion, assembly, view }));
  }

  /**
   * How much of a motion its reader sees, for the answer to what they just did: a voter who has since left
   * the organisation still votes (the voters were fixed when it opened) and is shown outcomes only.
   */
  async viewFor(principal: Principal, motion: MotionRecord): Promise<Exclude<AssemblyView, 'NONE'>> {
    const assembly = await this.assemblies.requireAssembly(this.dataSource.manager, motion.assemblyId);
    return (await this.assemblies.viewOf(principal, assembly)) === 'MEMBER' ? 'MEMBER' : 'OUTCOMES';
  }

  async voters(motionId: string): Promise<MotionVoterRecord[]> {
    return this.repository.listVoters(this.dataSource.manager, motionId);
  }

  /** Who has cast a ballot (never how, for a secret motion). */
  async participants(motion: MotionRecord): Promise<string[]> {
    if (motion.secret) return this.repository.listParticipants(this.dataSource.manager, motion.id);
    return (await this.repository.listBallots(this.dataSource.manager, motion.id)).map((ballot) => ballot.voterId);
  }

  async countParticipants(motionId: string): Promise<number> {
    return this.repository.countParticipants(this.dataSource.manager, motionId);
  }

  /** Open ballots with their voters, for members, once the motion shows results (never a secret motion's). */
  async ballots(visible: Pick<VisibleMotion, 'motion' | 'view'>): Promise<BallotRecord[] | null> {
    const { motion, view } = visible;
    if (motion.secret || view !== 'MEMBER' || (motion.resultsHidden && motion.status !== 'CLOSED')) return null;
    return this.repository.listBallots(this.dataSource.manager, motion.id);
  }

  /** The caller's own open ballots on the motion; for a secret one, nothing but whether they took part. */
  async myBallots(
    principal: Principal,
    motion: MotionRecord,
  ): Promise<{ voterId: string; ballot: BallotRecord | null; cast: boolean }[]> {
    if (principal.kind !== 'PERSON') return [];
    const manager = this.dataSource.manager;
    const voters = await this.repository.votersOf(manager, motion.id, principal.personId);
    return Promise.all(
      voters.map(async (voter) => {
        if (motion.secret) {
          return {
            voterId: voter.voterId,
            ballot: null,
            cast: await this.repository.hasParticipated(manager, motion.id, voter.voterId),
          };
        }
        const ballot = await this.repository.findBallot(manager, motion.id, voter.voterId);
        return { voterId: voter.voterId, ballot, cast: ballot !== null };
      }),
    );
  }

  /** The running tally of an open motion, where its results are not hidden until close. */
  async liveTally(visible: Pick<VisibleMotion, 'motion' | 'view'>): Promise<MotionTally | null> {
    const { motion } = visible;
    if (motion.status !== 'OPEN' || motion.resultsHidden) return null;
    const manager = this.dataSource.manager;
    const delegations =
      motion.delegationApplies === true
        ? (await this.repository.delegationsInForce(manager, motion.assemblyId, motion.id)).map(toDelegation)
        : [];
    return tallyMotion(await this.tallyInput(manager, motion, delegations));
  }

  async outcome(motionId: string): Promise<OutcomeRecord | null> {
    return this.repository.findOutcome(this.dataSource.manager, motionId);
  }

  /** Tallies a closed motion again from its stored ballots, voters and delegations, and compares. */
  async recount(principal: Principal, motionId: string): Promise<Recount> {
    const { motion, view } = await this.motion(principal, motionId);
    return runInTransaction(this.dataSource, 'REPEATABLE READ', async (manager) => {
      const outcome = await this.repository.findOutcome(manager, motion.id);
      if (outcome === null) {
        throw new DomainError(GOVERNANCE_ERRORS.MOTION_NOT_CLOSED, 'The motion has not closed', { motionId });
      }
      const delegations = await this.repository.listMotionDelegations(manager, motion.id);
      const tally = tallyMotion(await this.tallyInput(manager, motion, delegations));
      const matches = tally.passed === outcome.passed && canonicalJson(tally.detail) === canonicalJson(outcome.tally);
      return { motionId: motion.id, matches, passed: tally.passed, tally: tally.detail, view };
    });
  }

  // Lifecycle (scheduled work, and early close after a ballot)

  private async openScheduled(motionId: string): Promise<void> {
    await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const motion = await this.repository.findMotion(manager, motionId, 'UPDATE');
      if (motion?.status !== 'SCHEDULED') return;
      const assembly = await this.assemblies.requireAssembly(manager, motion.assemblyId);
      await this.openIn(manager, motion, assembly, systemPrincipal(MOTIONS_ACTOR, {}));
    });
  }

  /** Fixes who may vote, and with what weight, and whether delegation applies: the motion opens. */
  private async openIn(
    manager: EntityManager,
    motion: MotionRecord,
    assembly: AssemblyRecord,
    actor: Principal,
  ): Promise<MotionRecord> {
    const voters = await this.votersNow(manager, motion, assembly);
    const delegationApplies = assembly.delegationAllowed && !motion.secret;
    await this.repository.openMotion(manager, motion.id, delegationApplies);
    await this.repository.insertVoters(manager, voters);
    await this.audit.record(manager, {
      actor,
      action: 'MOTION_OPENED',
      organizationId: assembly.organizationId,
      subject: { type: 'MOTION', id: motion.id },
      after: {
        voters: voters.length,
        eligibleWeight: voters.reduce((sum, voter) => sum + voter.weight, 0n).toString(),
        delegationApplies,
      },
    });
    return { ...motion, status: 'OPEN', delegationApplies };
  }

  /**
   * The voters when a motion opens: a members' assembly's active members, one vote each; a confederal
   * assembly's seats whose organisation is still an active member of the federation and whose delegate is
   * still a member of it, each with the seat's weight, cast by the delegate. A seat without a delegate then
   * has no vote on the motion.
   */
  private async votersNow(
    manager: EntityManager,
    motion: MotionRecord,
    assembly: AssemblyRecord,
  ): Promise<MotionVoterRecord[]> {
    if (assembly.kind === 'MEMBERS') {
      const members = await this.organizations.activeMembers(manager, assembly.organizationId);
      return members.map((member) => ({
        motionId: motion.id,
        voterId: member.personId,
        weight: 1n,
        personId: member.personId,
      }));
    }
    const ties = await this.organizations.federationMemberships({
      federationId: assembly.organizationId,
      memberId: null,
    });
    const activeMembers = new Set(ties.filter((tie) => tie.status === 'ACTIVE').map((tie) => tie.memberId));
    const voters: MotionVoterRecord[] = [];
    for (const seat of await this.repository.listSeats(manager, assembly.id)) {
      if (seat.delegateId === null || !activeMembers.has(seat.organizationId)) continue;
      const members = await this.organizations.activeMembers(manager, seat.organizationId);
      if (!members.some((member) => member.personId === seat.delegateId)) continue;
      voters.push({
        motionId: motion.id,
        voterId: seat.organizationId,
        weight: seat.weight,
        personId: seat.delegateId,
      });
    }
    return voters;
  }

  /**
   * Closes a motion: at its instant (ON_TIME), or EARLY when its ballots are final and no ballot still
   * possible could change its outcome. Tallies the stored ballots, keeps the delegations it counted, applies
   * the effect of a passed motion (or pays a budget's winners) inside a savepoint, and writes the outcome,
   * once: a second run finds the motion closed and does nothing.
   */
  async close(motionId: string, when: 'ON_TIME' | 'EARLY'): Promise<void> {
    await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      let motion = await this.repository.findMotion(manager, motionId, 'UPDATE');
      if (motion === null || motion.status === 'CLOSED' || motion.status === 'WITHDRAWN') return;
      const assembly = await this.assemblies.requireAssembly(manager, motion.assemblyId);
      const actor = systemPrincipal(MOTIONS_ACTOR, {});
      if (motion.status === 'SCHEDULED') {
        if (when === 'EARLY') return;
        motion = await this.openIn(manager, motion, assembly, actor);
      }
      const delegations =
        motion.delegationApplies === true
          ? (await this.repository.delegationsInForce(manager, motion.assemblyId, motion.id)).map(toDelegation)
          : [];
      const input = await this.tallyInput(manager, motion, delegations);
      if (when === 'EARLY' && !(motion.earlyClose && isFinal(input))) return;
      const tally = tallyMotion(input);
      await this.repository.insertMotionDelegations(manager, motion.id, delegations);
      const closedAt = this.clock.now();
      const effect = await this.applyEffect(manager, motion, assembly, tally);
      await this.repository.insertOutcome(manager, {
        motionId: motion.id,
        closedAt,
        passed: tally.passed,
        tally: tally.detail,
        effectStatus: effect.status,
        effectDetail: effect.detail,
      });
      // Sealed while the motion is still open (its rows' guard admits ballots of open motions only).
      if (motion.secret) await this.repository.sealSecretBallots(manager, motion.id);
      await this.repository.setMotionStatus(manager, motion.id, 'CLOSED');
      if (when === 'EARLY') await this.scheduler.cancel(manager, CLOSE_MOTION, motion.id);
      await this.audit.record(manager, {
        actor,
        action: 'MOTION_CLOSED',
        organizationId: assembly.organizationId,
        subject: { type: 'MOTION', id: motion.id },
        before: { status: 'OPEN' },
        after: { status: 'CLOSED', when, passed: tally.passed, effectStatus: effect.status },
      });
    });
  }

  /**
   * A passed motion's effect (or its budget's payout), in a savepoint of the closing transaction: when it
   * cannot apply, everything it wrote is rolled back, the reason is kept, and the outcome stands.
   */
  private async applyEffect(
    manager: EntityManager,
    motion: MotionRecord,
    assembly: AssemblyRecord,
    tally: MotionTally,
  ): Promise<{ status: EffectStatus; detail: Record<string, unknown> }> {
    if (motion.effect === null && motion.budget === null) return { status: 'NONE', detail: {} };
    if (!tally.passed) return { status: 'NOT_PASSED', detail: {} };
    await manager.query('SAVEPOINT motion_effect');
    try {
      const detail =
        motion.budget === null
          ? await this.registry.effect((motion.effect as MotionEffect).kind).apply(manager, {
              motion,
              assembly,
              params: (motion.effect as MotionEffect).params,
            })
          : await this.payBudget(manager, motion, motion.budget, tally);
      await manager.query('RELEASE SAVEPOINT motion_effect');
      return { status: 'APPLIED', detail };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT motion_effect');
      return {
        status: 'FAILED',
        detail: { reason: error.details.reason, code: error.code, message: error.message, details: error.details },
      };
    }
  }

  /** Pays each funded proposal from the fund, in one atomic group of transfers under the motion's authority. */
  private async payBudget(
    manager: EntityManager,
    motion: MotionRecord,
    budget: BudgetTerms,
    tally: MotionTally,
  ): Promise<Record<string, unknown>> {
    const funded = new Set((tally.detail['budget'] as { funded: string[] }).funded);
    const requests: LedgerRequest[] = budget.proposals
      .filter((proposal) => funded.has(proposal.id))
      .map((proposal) => ({
        type: 'TRANSFER',
        id: stepId(BUDGET_PAYOUT, motion.id, proposal.id),
        unitCode: budget.unitCode,
        kind: 'BUDGET_PAYOUT',
        memo: truncate(`${motion.title}: ${proposal.title}`, 500),
        metadata: [{ key: 'proposal', value: proposal.id }],
        effectiveAt: null,
        hold: null,
        entries: [
          { accountId: budget.fundAccountId, side: 'DEBIT', amount: proposal.cost },
          { accountId: proposal.payeeAccountId, side: 'CREDIT', amount: proposal.cost },
        ],
      }));
    const payer = systemPrincipal(MOTIONS_ACTOR, { accounts: new Set([budget.fundAccountId]) });
    const written = await this.ledger.applyGroup(manager, payer, { kind: 'MOTION', id: motion.id }, requests);
    return {
      transactionIds: written.map((transaction) => transaction.id),
      paid: requests
        .reduce((sum, request) => sum + (request.type === 'TRANSFER' ? (request.entries[0]?.amount ?? 0n) : 0n), 0n)
        .toString(),
    };
  }

  private async tallyInput(
    manager: EntityManager,
    motion: MotionRecord,
    delegations: readonly Delegation[],
  ): Promise<TallyInput> {
    const voters = await this.repository.listVoters(manager, motion.id);
    const ballots = motion.secret
      ? (await this.repository.listSecretBallots(manager, motion.id)).map((ballot) => ({
          voterId: null,
          weight: ballot.weight,
          choice: ballot.choice,
          reason: ballot.reason,
        }))
      : (await this.repository.listBallots(manager, motion.id)).map((ballot) => ({
          voterId: ballot.voterId,
          weight: null,
          choice: ballot.choice,
          reason: ballot.reason,
        }));
    const cast = motion.secret ? new Set(await this.repository.listParticipants(manager, motion.id)) : null;
    return {
      motion,
      voters: new Map(voters.map((voter) => [voter.voterId, voter.weight])),
      ballots,
      delegations,
      delegationAllowed: motion.delegationApplies === true,
      ...(cast === null ? {} : { secretParticipants: cast }),
    };
  }

  /** A budget's fund is an account of the assembly's organisation in the budget's unit; payees are in it too. */
  private async checkBudget(manager: EntityManager, assembly: AssemblyRecord, budget: BudgetTerms): Promise<void> {
    const refuse = (problem: string): never => {
      throw new DomainError(GOVERNANCE_ERRORS.INVALID_MOTION, `The budget is not well formed: ${problem}`, { problem });
    };
    const fund = await this.accounts.requireAccount(manager, budget.fundAccountId);
    if (fund.holderId !== assembly.organizationId) refuse("the fund is an account of the assembly's organisation");
    if (fund.unitCode !== budget.unitCode) refuse(`the fund is in ${fund.unitCode}, not ${budget.unitCode}`);
    for (const payeeAccountId of new Set(budget.proposals.map((proposal) => proposal.payeeAccountId))) {
      const payee = await this.accounts.requireAccount(manager, payeeAccountId);
      if (payee.unitCode !== budget.unitCode)
        refuse(`a payee's account is in ${payee.unitCode}, not ${budget.unitCode}`);
      if (payee.id === fund.id) refuse('a proposal is paid to an account other than the fund');
    }
  }

  private async requireMotion(
    manager: EntityManager,
    id: string,
    lock: 'UPDATE' | 'SHARE' | null,
  ): Promise<MotionRecord> {
    const motion = await this.repository.findMotion(manager, id, lock);
    if (motion === null)
      throw new DomainError(GOVERNANCE_ERRORS.MOTION_NOT_FOUND, `Motion ${id} does not exist`, { id });
    return motion;
  }

  /**
   * The motion FOR SHARE (closing waits for ballots in flight) and the caller's voter rows, locked (one
   * ballot of a voter at a time), once the motion takes ballots now. The caller's right is checked before
   * anything is said about the motion's state: a stranger learns only that they are not a voter.
   */
  private async openForVoter(
    manager: EntityManager,
    principal: Principal,
    motionId: string,
  ): Promise<{ motion: MotionRecord; voters: MotionVoterRecord[] }> {
    const { personId } = requirePerson(principal);
    const motion = await this.requireMotion(manager, motionId, 'SHARE');
    const notAVoter = () =>
      new DomainError(GOVERNANCE_ERRORS.NOT_A_VOTER, 'You are not among the voters of this motion', { motionId });
    if (motion.status === 'SCHEDULED') {
      // Its voters are fixed when it opens: until then, the assembly's members are told when that is.
      const assembly = await this.assemblies.requireAssembly(manager, motion.assemblyId);
      if ((await this.assemblies.viewOf(principal, assembly)) !== 'MEMBER') throw notAVoter();
      throw new DomainError(GOVERNANCE_ERRORS.MOTION_NOT_OPEN, 'The motion has not opened yet', {
        motionId,
        opensAt: motion.opensAt.toISOString(),
      });
    }
    const voters = await this.repository.lockVotersOf(manager, motion.id, personId);
    if (voters.length === 0) throw notAVoter();
    if (motion.status !== 'OPEN' || this.clock.now() >= motion.closesAt) {
      throw new DomainError(GOVERNANCE_ERRORS.MOTION_CLOSED, 'The motion has closed', {
        motionId,
        closesAt: motion.closesAt.toISOString(),
      });
    }
    return { motion, voters };
  }
}

/** The voter a person casts for: the only one, or the one named (a delegate of several seats). */
function pickVoter(voters: readonly MotionVoterRecord[], voterId: string | null): MotionVoterRecord {
  const voter =
    voterId === null ? (voters.length === 1 ? voters[0] : undefined) : voters.find((v) => v.voterId === voterId);
  if (voter !== undefined) return voter;
  if (voters.length > 1 && voterId === null) {
    throw new DomainError(GOVERNANCE_ERRORS.INVALID_BALLOT, 'You cast for several seats: name the seat (voterId)', {
      problem: 'name the seat you cast for (voterId)',
    });
  }
  throw new DomainError(GOVERNANCE_ERRORS.NOT_A_VOTER, 'You do not cast for this voter', { voterId });
}

/** A ballot that fits the motion (INVALID_BALLOT), and then a block or an objection with its reason. */
function checkBallot(motion: MotionRecord, choice: BallotChoice, reason: string): void {
  const needsReason = choice.kind === 'YES_NO' && (choice.choice === 'BLOCK' || choice.choice === 'OBJECT');
  const problem = ballotProblem(motion, choice, needsReason && reason.trim() === '' ? 'the reason comes next' : reason);
  if (problem !== null) {
    throw new DomainError(GOVERNANCE_ERRORS.INVALID_BALLOT, `The ballot does not fit the motion: ${problem}`, {
      problem,
    });
  }
  if (needsReason && reason.trim() === '') {
    throw new DomainError(GOVERNANCE_ERRORS.REASON_REQUIRED, `A ${choice.choice.toLowerCase()} gives its reason`, {
      choice: choice.choice,
    });
  }
}

function sameBallot(existing: BallotRecord, input: { choice: BallotChoice; reason: string }): boolean {
  return canonicalJson(existing.choice) === canonicalJson(input.choice) && existing.reason === input.reason;
}

function receiptHash(receipt: string): Buffer {
  return createHash('sha256').update(receipt, 'utf8').digest();
}

function toDelegation(delegation: { fromVoter: string; toVoter: string; motionId: string | null }): Delegation {
  return { from: delegation.fromVoter, to: delegation.toVoter, motionId: delegation.motionId };
}

function truncate(text: string, length: number): string {
  const characters = [...text];
  return characters.length <= length ? text : `${characters.slice(0, length - 1).join('')}…`;
}

function motionJson(motion: MotionRecord) {
  return {
    title: motion.title,
    ballotKind: motion.ballotKind,
    rule:
      motion.rule.kind === 'SUPERMAJORITY'
        ? `SUPERMAJORITY ${motion.rule.numerator}/${motion.rule.denominator}`
        : motion.rule.kind,
    quorum: motion.quorum === null ? null : `${motion.quorum.numerator}/${motion.quorum.denominator}`,
    secret: motion.secret,
    changeable: motion.changeable,
    earlyClose: motion.earlyClose,
    resultsHidden: motion.resultsHidden,
    effect: motion.effect?.kind ?? null,
    budget: motion.budget === null ? null : { amount: motion.budget.amount.toString(), method: motion.budget.method },
    opensAt: motion.opensAt.toISOString(),
    closesAt: motion.closesAt.toISOString(),
  };
}
