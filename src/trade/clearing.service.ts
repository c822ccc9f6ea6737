import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assert } from '../kernel/assert.js';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import type { Position } from '../kernel/graphql/cursor.js';
import { nameOf, rolesIn, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { ORGANIZATIONS_ERRORS } from '../organizations/organizations.errors.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { clearObligations } from './rules/clearing.js';
import { carryConsents, excludedMembers } from './rules/clearing-consent.js';
import { mayClear, mayConsent, roundView, type RoundView } from './rules/trade-access.js';
import { TRADE_ERRORS } from './trade.errors.js';
import type {
  ClearingConsent,
  ClearingParticipantRecord,
  ClearingRoundRecord,
  ClearingSetOffRecord,
  ClearingSettingRecord,
} from './trade.records.js';
import { TradeRepository } from './trade.repository.js';

/** Without a setting, members are asked, and have three days to answer. */
export const DEFAULT_SETTING = { consentByMembership: false, consentHours: 72 } as const;
export const MAX_CONSENT_HOURS = 2160;

/** A round with what the caller may see of it. */
export interface RoundStanding {
  readonly round: ClearingRoundRecord;
  readonly participants: readonly ClearingParticipantRecord[];
  readonly setOffs: readonly ClearingSetOffRecord[];
  readonly view: RoundView;
}

/**
 * Multilateral clearing rounds of a federation in one unit, over the accepted, unpaid obligations between
 * its active members. A round is previewed (the optimal set-off, rules/clearing.ts, stored as its notices),
 * its participants consent or decline (a decline removes the decliner's obligations and recomputes the
 * round; see rules/clearing-consent.ts), and it is executed once: every set-off is written against its
 * invoice in one database transaction, with the round as its authority. A set-off moves no value in the
 * ledger: for every member what it gives up receiving equals what it is released from paying, so its
 * balance and its net position stay as they were; statements show each set-off on both sides.
 */
@Injectable()
export class ClearingService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TradeRepository) private readonly repository: TradeRepository,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async setSettings(principal: Principal, setting: ClearingSettingRecord): Promise<ClearingSettingRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.requireSteward(manager, principal, setting.federationId);
      if (
        !Number.isInteger(setting.consentHours) ||
        setting.consentHours < 1 ||
        setting.consentHours > MAX_CONSENT_HOURS
      ) {
        throw new DomainError(
          TRADE_ERRORS.INVALID_CLEARING_SETTINGS,
          `Members have 1 to ${MAX_CONSENT_HOURS} hours to answer`,
          {
            consentHours: setting.consentHours,
          },
        );
      }
      const before = await this.repository.findSetting(manager, setting.federationId);
      await this.repository.saveSetting(manager, setting, nameOf(principal), this.clock.now());
      await this.audit.record(manager, {
        actor: principal,
        action: 'CLEARING_SETTINGS_SET',
        organizationId: setting.federationId,
        subject: { type: 'CLEARING_SETTINGS', id: setting.federationId },
        before,
        after: setting,
      });
      return setting;
    });
  }

  async settings(principal: Principal, federationId: string): Promise<ClearingSettingRecord> {
    await this.requireSteward(this.dataSource.manager, principal, federationId);
    return (
      (await this.repository.findSetting(this.dataSource.manager, federationId)) ?? { federationId, ...DEFAULT_SETTING }
    );
  }

  /** Computes and stores a round's preview (the federation's stewards). The same id replays it. */
  async preview(
    principal: Principal,
    input: { id: string; federationId: string; unitCode: string },
  ): Promise<RoundStanding> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.requireSteward(manager, principal, input.federationId);
      const existing = await this.repository.findRound(manager, input.id);
      if (existing !== null) {
        if (existing.federationId !== input.federationId || existing.unitCode !== input.unitCode) {
          throw new DomainError(TRADE_ERRORS.TRADE_ID_TAKEN, `The id ${input.id} names another round`, {
            id: input.id,
          });
        }
        return this.standingIn(manager, principal, existing);
      }
      await this.accounts.unit(input.unitCode);
      const setting = (await this.repository.findSetting(manager, input.federationId)) ?? DEFAULT_SETTING;
      const now = this.clock.now();
      const round: ClearingRoundRecord = {
        id: input.id,
        federationId: input.federationId,
        unitCode: input.unitCode,
        status: 'OPEN',
        consentByMembership: setting.consentByMembership,
        consentDeadline: new Date(now.getTime() + setting.consentHours * 3_600_000),
        version: 1,
        obligationCount: 0,
        totalDebt: 0n,
        netInternalDebt: 0n,
        cleared: 0n,
        createdBy: nameOf(principal),
        createdAt: now,
        executedBy: null,
        executedAt: null,
      };
      await this.repository.insertRound(manager, round);
      const computed = await this.recompute(manager, round, [], []);
      await this.auditRound(manager, principal, 'CLEARING_ROUND_PREVIEWED', computed);
      return this.standingIn(manager, principal, computed, false);
    });
  }

  /** A participant's answer (its TREASURER or ADMIN). A decline recomputes the round without its obligations. */
  async decideConsent(
    principal: Principal,
    input: { roundId: string; organizationId: string; consent: boolean },
  ): Promise<RoundStanding> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const round = await this.requireRound(manager, input.roundId, true);
      if (!mayConsent(rolesIn(principal, input.organizationId))) {
        throw new DomainError(TRADE_ERRORS.MAY_NOT_CONSENT, 'Only a TREASURER or ADMIN of the participant answers', {
          organizationId: input.organizationId,
        });
      }
      if (round.status === 'EXECUTED') {
        throw new DomainError(TRADE_ERRORS.ROUND_EXECUTED, 'The round has been executed', { roundId: round.id });
      }
      if (this.clock.now() >= round.consentDeadline) {
        throw new DomainError(TRADE_ERRORS.CONSENT_DEADLINE_PASSED, "The round's consent deadline has passed", {
          roundId: round.id,
          consentDeadline: round.consentDeadline.toISOString(),
        });
      }
      const participants = await this.repository.listParticipants(manager, round.id);
      const participant = participants.find((p) => p.organizationId === input.organizationId);
      const wanted: ClearingConsent = input.consent ? 'GIVEN' : 'DECLINED';
      if (participant?.consent === wanted) return this.standingIn(manager, principal, round);
      if (participant === undefined || participant.consent === 'DECLINED' || participant.consent === 'LAPSED') {
        throw new DomainError(TRADE_ERRORS.NOT_A_PARTICIPANT, 'The organisation takes no part in this round', {
          roundId: round.id,
          organizationId: input.organizationId,
        });
      }
      const decided = { decidedBy: nameOf(principal), decidedAt: this.clock.now() };
      const changed = participants.map((p) =>
        p.organizationId === input.organizationId ? { ...p, consent: wanted, ...decided } : p,
      );
      await this.audit.record(manager, {
        actor: principal,
        action: input.consent ? 'CLEARING_CONSENT_GIVEN' : 'CLEARING_CONSENT_DECLINED',
        organizationId: input.organizationId,
        subject: { type: 'CLEARING_ROUND', id: round.id },
        relatedPartyId: round.federationId,
        after: { consent: wanted, version: round.version },
      });
      if (input.consent) {
        await this.repository.replaceParticipants(manager, round.id, changed);
        return this.standingIn(manager, principal, round);
      }
      const setOffs = await this.repository.listSetOffs(manager, round.id, null);
      const recomputed = await this.recompute(manager, { ...round, version: round.version + 1 }, changed, setOffs);
      return this.standingIn(manager, principal, recomputed, false);
    });
  }

  /**
   * Executes a round (the federation's stewards) once every participant has agreed; after the deadline,
   * those who did not answer lapse and the round is recomputed without them. Every set-off is written against
   * its invoice, at once; run again, an executed round is returned as it stands.
   */
  async execute(principal: Principal, roundId: string): Promise<RoundStanding> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      let round = await this.requireRound(manager, roundId, true);
      await this.requireSteward(manager, principal, round.federationId);
      if (round.status === 'EXECUTED') return this.standingIn(manager, principal, round);
      const now = this.clock.now();
      for (;;) {
        const participants = await this.repository.listParticipants(manager, round.id);
        const pending = participants.filter((p) => p.consent === 'PENDING');
        if (pending.length === 0) break;
        if (now < round.consentDeadline) {
          throw new DomainError(TRADE_ERRORS.CONSENT_PENDING, 'Some participants have not answered yet', {
            roundId: round.id,
            pending: pending.map((p) => p.organizationId),
            consentDeadline: round.consentDeadline.toISOString(),
          });
        }
        const lapsed = participants.map((p) =>
          p.consent === 'PENDING' ? { ...p, consent: 'LAPSED' as const, decidedBy: null, decidedAt: now } : p,
        );
        const setOffs = await this.repository.listSetOffs(manager, round.id, null);
        round = await this.recompute(manager, { ...round, version: round.version + 1 }, lapsed, setOffs, true);
      }
      // Every member gives up as much as it is released from: its net position does not move.
      const unbalanced = await this.repository.membersOutOfBalance(manager, round.id);
      assert(unbalanced === 0, 'a round keeps every net position');
      // Each set-off settles its invoice if the invoice is still an obligation owing at least as much (the rule of
      // rules/invoice-lifecycle.ts, as the update's condition; the row locks the update takes make it exact
      // against concurrent payments). One that no longer fits leaves a count short: nothing is written.
      const actor = nameOf(principal);
      const expected = await this.repository.countSetOffs(manager, round.id);
      const written = await this.repository.applyRoundSetOffs(manager, { roundId: round.id, actor, at: now, expected });
      if (written !== expected) {
        throw new DomainError(TRADE_ERRORS.ROUND_STALE, 'An obligation of the round changed since its preview', {
          roundId: round.id,
          stale: expected - written,
        });
      }
      const executed: ClearingRoundRecord = { ...round, status: 'EXECUTED', executedBy: actor, executedAt: now };
      await this.repository.updateRound(manager, executed);
      await this.auditRound(manager, principal, 'CLEARING_ROUND_EXECUTED', executed);
      return this.standingIn(manager, principal, executed, false);
    });
  }

  async round(principal: Principal, id: string): Promise<RoundStanding> {
    const manager = this.dataSource.manager;
    return this.standingIn(manager, principal, await this.requireRound(manager, id, false));
  }

  async rounds(
    principal: Principal,
    filter: { federationId: string; after: Position | null; limit: number },
  ): Promise<ClearingRoundRecord[]> {
    await this.requireSteward(this.dataSource.manager, principal, filter.federationId);
    return this.repository.listRounds(this.dataSource.manager, filter);
  }

  /**
   * Computes the round's set-offs over the obligations now open among the federation's active members, less
   * those of excluded members, and stores them with the participants' consents carried over.
   */
  private async recompute(
    manager: EntityManager,
    round: ClearingRoundRecord,
    participants: readonly ClearingParticipantRecord[],
    previous: readonly ClearingSetOffRecord[],
    lapseUnanswered = false,
  ): Promise<ClearingRoundRecord> {
    const members = (
      await this.organizations.federationMemberships({ federationId: round.federationId, memberId: null })
    )
      .filter((membership) => membership.status === 'ACTIVE')
      .map((membership) => membership.memberId);
    const excluded = excludedMembers(new Map(participants.map((p) => [p.organizationId, p.consent])));
    const included = members.filter((member) => !excluded.has(member));
    const obligations = await this.repository.obligationsAmong(manager, {
      unitCode: round.unitCode,
      memberIds: included,
    });
    const result = clearObligations(obligations);
    const setOffs: ClearingSetOffRecord[] = result.setOffs.map((s) => ({
      roundId: round.id,
      invoiceId: s.obligationId,
      debtorId: s.debtorId,
      creditorId: s.creditorId,
      amount: s.amount,
      remaining: s.remaining,
    }));
    const initial: ClearingConsent = round.consentByMembership ? 'BY_MEMBERSHIP' : 'PENDING';
    const consents = carryConsents(
      participants.length === 0
        ? [...new Set(setOffs.flatMap((s) => [s.debtorId, s.creditorId]))].map((organizationId) => ({
            organizationId,
            consent: initial,
          }))
        : participants,
      participants.length === 0 ? setOffs : previous.map((s) => ({ ...s })),
      setOffs,
      initial,
    );
    const byId = new Map(participants.map((p) => [p.organizationId, p]));
    const now = this.clock.now();
    const next: ClearingParticipantRecord[] = [...consents].map(([organizationId, consent]) => {
      const earlier = byId.get(organizationId);
      // After the deadline, a member asked again has had its chance: it lapses, and the loop recomputes.
      const final = lapseUnanswered && consent === 'PENDING' && earlier?.consent === 'GIVEN' ? 'LAPSED' : consent;
      return earlier !== undefined && earlier.consent === final
        ? earlier
        : {
            roundId: round.id,
            organizationId,
            consent: final,
            decidedBy: null,
            decidedAt: final === 'LAPSED' ? now : null,
          };
    });
    const updated: ClearingRoundRecord = {
      ...round,
      obligationCount: obligations.length,
      totalDebt: result.before.totalDebt,
      netInternalDebt: result.before.netInternalDebt,
      cleared: result.cleared,
    };
    await this.repository.updateRound(manager, updated);
    await this.repository.replaceParticipants(manager, round.id, next);
    await this.repository.replaceSetOffs(manager, round.id, setOffs);
    return updated;
  }

  /** The round as the caller may see it; `withNotices` false leaves the notices unread (a mutation's answer). */
  private async standingIn(
    manager: EntityManager,
    principal: Principal,
    round: ClearingRoundRecord,
    withNotices = true,
  ): Promise<RoundStanding> {
    const participants = await this.repository.listParticipants(manager, round.id);
    const mine = participants.filter((p) => rolesIn(principal, p.organizationId).size > 0).map((p) => p.organizationId);
    const view = roundView(rolesIn(principal, round.federationId), mine.length > 0);
    if (view === 'NONE') {
      throw new DomainError(
        TRADE_ERRORS.ROUND_NOT_VISIBLE,
        "Only the federation's stewards and the participants see a round",
        {
          roundId: round.id,
        },
      );
    }
    const setOffs = withNotices
      ? await this.repository.listSetOffs(manager, round.id, view === 'ALL' ? null : mine)
      : [];
    return { round, participants, setOffs, view };
  }

  private async auditRound(
    manager: EntityManager,
    principal: Principal,
    action: string,
    round: ClearingRoundRecord,
  ): Promise<void> {
    await this.audit.record(manager, {
      actor: principal,
      action,
      organizationId: round.federationId,
      subject: { type: 'CLEARING_ROUND', id: round.id },
      after: {
        unitCode: round.unitCode,
        version: round.version,
        obligationCount: round.obligationCount,
        totalDebt: round.totalDebt.toString(),
        netInternalDebt: round.netInternalDebt.toString(),
        cleared: round.cleared.toString(),
      },
    });
  }

  private async requireRound(manager: EntityManager, id: string, lock: boolean): Promise<ClearingRoundRecord> {
    const round = await this.repository.findRound(manager, id, lock);
    if (round === null) {
      throw new DomainError(TRADE_ERRORS.CLEARING_ROUND_NOT_FOUND, `Clearing round ${id} does not exist`, { id });
    }
    return round;
  }

  private async requireSteward(manager: EntityManager, principal: Principal, federationId: string): Promise<void> {
    const federation = await this.organizations.requireOrganization(manager, federationId);
    if (!mayClear(rolesIn(principal, federationId))) {
      throw new DomainError(TRADE_ERRORS.MAY_NOT_CLEAR, "Only the federation's TREASURER or ADMIN runs clearing", {
        federationId,
      });
    }
    if (federation.kind !== 'FEDERATION') {
      throw new DomainError(ORGANIZATIONS_ERRORS.NOT_A_FEDERATION, 'Clearing runs in a federation', { federationId });
    }
  }
}
