import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import type { Position } from '../kernel/graphql/cursor.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { rolesIn, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { GOVERNANCE_ERRORS } from './governance.errors.js';
import type { AssemblyKind, AssemblyRecord, DelegationRecord, SeatRecord } from './governance.records.js';
import { GovernanceRepository } from './governance.repository.js';
import { wouldCreateCycle } from './rules/delegation.js';
import { assemblyView, mayManageAssembly, type AssemblyView, type CallerFacts } from './rules/governance-access.js';

export const MAX_SEAT_WEIGHT = 1_000_000n;

/**
 * Assemblies, their seats and delegates, and delegation between their voters. Every change of who may vote
 * or of a delegation is written to the audit log in its database transaction (READ COMMITTED: each change
 * locks what it changes; delegations are checked and written under one lock per assembly).
 */
@Injectable()
export class AssembliesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GovernanceRepository) private readonly repository: GovernanceRepository,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Creates an assembly (ADMIN); a client-chosen id makes it idempotent. */
  async createAssembly(
    principal: Principal,
    input: {
      id: string;
      organizationId: string;
      name: string;
      kind: AssemblyKind;
      delegationAllowed: boolean;
      outcomesPublic: boolean;
    },
  ): Promise<AssemblyRecord> {
    requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const organization = await this.organizations.requireOrganization(manager, input.organizationId);
      await this.organizations.requireRole(principal, organization.id, ['ADMIN'], manager);
      const existing = await this.repository.findAssembly(manager, input.id);
      if (existing !== null) {
        if (existing.organizationId === input.organizationId && existing.kind === input.kind) return existing;
        throw new DomainError(GOVERNANCE_ERRORS.ID_TAKEN, `The id ${input.id} names another assembly`, {
          id: input.id,
        });
      }
      if (input.kind === 'CONFEDERAL' && organization.kind !== 'FEDERATION') {
        throw new DomainError(
          GOVERNANCE_ERRORS.CONFEDERAL_NEEDS_FEDERATION,
          'A confederal assembly belongs to a federation',
          {
            organizationId: organization.id,
          },
        );
      }
      const name = input.name.trim();
      if (name.length === 0) {
        throw new DomainError(GOVERNANCE_ERRORS.INVALID_ASSEMBLY, 'An assembly has a name', {
          problem: 'an assembly has a name of 1 to 200 characters',
        });
      }
      const assembly = await this.repository.insertAssembly(manager, { ...input, name, createdAt: this.clock.now() });
      await this.audit.record(manager, {
        actor: principal,
        action: 'ASSEMBLY_CREATED',
        organizationId: assembly.organizationId,
        subject: { type: 'ASSEMBLY', id: assembly.id },
        after: settingsOf(assembly),
      });
      return assembly;
    });
  }

  /** Changes an assembly's name, delegation and sharing (ADMIN). Motions already open keep what they fixed. */
  async updateAssembly(
    principal: Principal,
    input: { assemblyId: string; name?: string; delegationAllowed?: boolean; outcomesPublic?: boolean },
  ): Promise<AssemblyRecord> {
    requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const assembly = await this.requireAssembly(manager, input.assemblyId, true);
      await this.organizations.requireRole(principal, assembly.organizationId, ['ADMIN'], manager);
      const name = input.name?.trim() ?? assembly.name;
      if (name.length === 0) {
        throw new DomainError(GOVERNANCE_ERRORS.INVALID_ASSEMBLY, 'An assembly has a name', {
          problem: 'an assembly has a name of 1 to 200 characters',
        });
      }
      const next = {
        id: assembly.id,
        name,
        delegationAllowed: input.delegationAllowed ?? assembly.delegationAllowed,
        outcomesPublic: input.outcomesPublic ?? assembly.outcomesPublic,
      };
      if (
        next.name === assembly.name &&
        next.delegationAllowed === assembly.delegationAllowed &&
        next.outcomesPublic === assembly.outcomesPublic
      ) {
        return assembly;
      }
      const updated = await this.repository.updateAssembly(manager, next);
      await this.audit.record(manager, {
        actor: principal,
        action: 'ASSEMBLY_CHANGED',
        organizationId: assembly.organizationId,
        subject: { type: 'ASSEMBLY', id: assembly.id },
        before: settingsOf(assembly),
        after: settingsOf(updated),
      });
      return updated;
    });
  }

  /**
   * Seats a member organisation in a confederal assembly with a weight, or changes its weight (ADMIN of the
   * federation). Motions already open keep the voters and weights they fixed when they opened.
   */
  async setSeat(
    principal: Principal,
    input: { assemblyId: string; organizationId: string; weight: bigint },
  ): Promise<SeatRecord> {
    requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const assembly = await this.requireConfederal(manager, input.assemblyId);
      await this.organizations.requireRole(principal, assembly.organizationId, ['ADMIN'], manager);
      if (input.weight < 1n || input.weight > MAX_SEAT_WEIGHT) {
        throw new DomainError(GOVERNANCE_ERRORS.INVALID_ASSEMBLY, 'A seat weighs 1 to 1000000', {
          problem: `a seat's weight is a whole number from 1 to ${MAX_SEAT_WEIGHT}`,
        });
      }
      await this.requireFederationMember(assembly.organizationId, input.organizationId);
      const before = await this.repository.findSeat(manager, assembly.id, input.organizationId);
      if (before?.weight === input.weight) return before;
      const seat = await this.repository.upsertSeat(manager, {
        assemblyId: assembly.id,
        organizationId: input.organizationId,
        weight: input.weight,
        delegateId: before?.delegateId ?? null,
      });
      await this.audit.record(manager, {
        actor: principal,
        action: before === null ? 'ASSEMBLY_SEAT_ADDED' : 'ASSEMBLY_SEAT_CHANGED',
        organizationId: assembly.organizationId,
        relatedPartyId: input.organizationId,
        subject: { type: 'ASSEMBLY', id: assembly.id },
        before: before === null ? null : seatJson(before),
        after: seatJson(seat),
      });
      return seat;
    });
  }

  /** Removes a seat (ADMIN of the federation); open motions keep the voters they fixed. */
  async removeSeat(principal: Principal, input: { assemblyId: string; organizationId: string }): Promise<SeatRecord> {
    requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const assembly = await this.requireConfederal(manager, input.assemblyId);
      await this.organizations.requireRole(principal, assembly.organizationId, ['ADMIN'], manager);
      const removed = await this.repository.deleteSeat(manager, assembly.id, input.organizationId);
      if (removed === null) {
        throw new DomainError(GOVERNANCE_ERRORS.NOT_SEATED, 'The organisation has no seat in this assembly', {
          organizationId: input.organizationId,
        });
      }
      await this.audit.record(manager, {
        actor: principal,
        action: 'ASSEMBLY_SEAT_REMOVED',
        organizationId: assembly.organizationId,
        relatedPartyId: input.organizationId,
        subject: { type: 'ASSEMBLY', id: assembly.id },
        before: seatJson(removed),
      });
      return removed;
    });
  }

  /** Appoints (or, with null, recalls) the delegate who votes for a seat (ADMIN of the seated organisation). */
  async appointDelegate(
    principal: Principal,
    input: { assemblyId: string; organizationId: string; delegateId: string | null },
  ): Promise<SeatRecord> {
    requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const assembly = await this.requireConfederal(manager, input.assemblyId);
      await this.organizations.requireRole(principal, input.organizationId, ['ADMIN'], manager);
      const seat = await this.repository.findSeat(manager, assembly.id, input.organizationId);
      if (seat === null) {
        throw new DomainError(GOVERNANCE_ERRORS.NOT_SEATED, 'The organisation has no seat in this assembly', {
          organizationId: input.organizationId,
        });
      }
      if (input.delegateId !== null) {
        const members = await this.organizations.activeMembers(manager, input.organizationId);
        if (!members.some((member) => member.personId === input.delegateId)) {
          throw new DomainError(
            GOVERNANCE_ERRORS.DELEGATE_NOT_A_MEMBER,
            'The delegate is not a member of the organisation',
            {
              delegateId: input.delegateId,
            },
          );
        }
      }
      if (seat.delegateId === input.delegateId) return seat;
      const updated = await this.repository.upsertSeat(manager, { ...seat, delegateId: input.delegateId });
      for (const organizationId of [assembly.organizationId, input.organizationId]) {
        await this.audit.record(manager, {
          actor: principal,
          action: 'ASSEMBLY_DELEGATE_APPOINTED',
          organizationId,
          relatedPartyId: input.delegateId,
          subject: { type: 'ASSEMBLY', id: assembly.id },
          before: seatJson(seat),
          after: seatJson(updated),
        });
      }
      return updated;
    });
  }

  /**
   * Delegates a voter's vote to another voter of the assembly, for all motions or for one, replacing the
   * voter's delegation in force for the same scope. A ballot the voter casts directly always overrides it.
   */
  async delegate(
    principal: Principal,
    input: { assemblyId: string; fromVoterId: string | null; toVoterId: string; motionId: string | null },
  ): Promise<DelegationRecord> {
    requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const assembly = await this.requireAssembly(manager, input.assemblyId);
      const from = await this.ownVoter(manager, principal, assembly, input.fromVoterId);
      await this.requireDelegationScope(manager, assembly, input.motionId);
      if (!(await this.isVoterNow(manager, assembly, input.toVoterId))) {
        throw new DomainError(GOVERNANCE_ERRORS.PROXY_NOT_A_VOTER, 'You delegate to a voter of the assembly', {
          toVoterId: input.toVoterId,
        });
      }
      await this.repository.lockDelegations(manager, assembly.id);
      const inForce = await this.repository.allDelegationsInForce(manager, assembly.id);
      const current = inForce.find((d) => d.fromVoter === from && d.motionId === input.motionId) ?? null;
      if (current?.toVoter === input.toVoterId) return current;
      const others = inForce
        .filter((d) => d !== current)
        .map((d) => ({ from: d.fromVoter, to: d.toVoter, motionId: d.motionId }));
      if (wouldCreateCycle(others, from, input.toVoterId, input.motionId)) {
        throw new DomainError(GOVERNANCE_ERRORS.DELEGATION_CYCLE, 'The delegation would lead back to you', {
          fromVoterId: from,
          toVoterId: input.toVoterId,
        });
      }
      const now = this.clock.now();
      if (current !== null) await this.repository.revokeDelegation(manager, assembly.id, from, input.motionId, now);
      const delegation = await this.repository.insertDelegation(manager, {
        id: randomUUID(),
        assemblyId: assembly.id,
        fromVoter: from,
        toVoter: input.toVoterId,
        motionId: input.motionId,
        createdAt: now,
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'DELEGATION_GRANTED',
        organizationId: assembly.organizationId,
        subject: { type: 'ASSEMBLY', id: assembly.id },
        before: current === null ? null : delegationJson(current),
        after: delegationJson(delegation),
      });
      return delegation;
    });
  }

  /** Ends the voter's delegation for all motions or for one; null when there was none. */
  async revokeDelegation(
    principal: Principal,
    input: { assemblyId: string; fromVoterId: string | null; motionId: string | null },
  ): Promise<DelegationRecord | null> {
    requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const assembly = await this.requireAssembly(manager, input.assemblyId);
      const from = await this.ownVoter(manager, principal, assembly, input.fromVoterId);
      await this.repository.lockDelegations(manager, assembly.id);
      const revoked = await this.repository.revokeDelegation(
        manager,
        assembly.id,
        from,
        input.motionId,
        this.clock.now(),
      );
      if (revoked !== null) {
        await this.audit.record(manager, {
          actor: principal,
          action: 'DELEGATION_REVOKED',
          organizationId: assembly.organizationId,
          subject: { type: 'ASSEMBLY', id: assembly.id },
          before: delegationJson(revoked),
        });
      }
      return revoked;
    });
  }

  // Reads

  async assembly(
    principal: Principal,
    id: string,
  ): Promise<{ assembly: AssemblyRecord; view: Exclude<AssemblyView, 'NONE'> }> {
    const assembly = await this.requireAssembly(this.dataSource.manager, id);
    return { assembly, view: await this.requireView(principal, assembly) };
  }

  /** The assemblies of an organisation the caller may see, with how much of each, after a position. */
  async assemblies(
    principal: Principal,
    filter: { organizationId: string; after: Position | null; limit: number },
  ): Promise<{ assembly: AssemblyRecord; view: Exclude<AssemblyView, 'NONE'> }[]> {
    const visible: { assembly: AssemblyRecord; view: Exclude<AssemblyView, 'NONE'> }[] = [];
    let after = filter.after;
    for (;;) {
      const page = await this.repository.listAssemblies(this.dataSource.manager, { ...filter, after });
      for (const assembly of page) {
        const view = await this.viewOf(principal, assembly);
        if (view !== 'NONE') visible.push({ assembly, view });
        if (visible.length === filter.limit) return visible;
      }
      const last = page.at(-1);
      if (last === undefined || page.length < filter.limit) return visible;
      after = { at: last.createdAt, id: last.id };
    }
  }

  async seats(assemblyId: string): Promise<SeatRecord[]> {
    return this.repository.listSeats(this.dataSource.manager, assemblyId);
  }

  async delegationsInForce(assemblyId: string): Promise<DelegationRecord[]> {
    return this.repository.allDelegationsInForce(this.dataSource.manager, assemblyId);
  }

  /** How much of the assembly the caller sees; NONE is refused. */
  async requireView(principal: Principal, assembly: AssemblyRecord): Promise<Exclude<AssemblyView, 'NONE'>> {
    const view = await this.viewOf(principal, assembly);
    if (view === 'NONE') {
      throw new DomainError(GOVERNANCE_ERRORS.ASSEMBLY_NOT_VISIBLE, 'You may not see this assembly', {
        assemblyId: assembly.id,
      });
    }
    return view;
  }

  async viewOf(principal: Principal, assembly: AssemblyRecord): Promise<AssemblyView> {
    const quick = assemblyView(assembly.kind, false, await this.facts(principal, assembly, false));
    if (quick !== 'NONE' || !assembly.outcomesPublic) return quick;
    return assemblyView(assembly.kind, true, await this.facts(principal, assembly, true));
  }

  /** Plain facts about the caller for the access rules (federations only when asked: a query more). */
  async facts(principal: Principal, assembly: AssemblyRecord, withFederations: boolean): Promise<CallerFacts> {
    const personId = principal.kind === 'PERSON' ? principal.personId : null;
    const seats = assembly.kind === 'CONFEDERAL' ? await this.seats(assembly.id) : [];
    const federations = withFederations
      ? ((await this.organizations.federationsAbove([assembly.organizationId])).get(assembly.organizationId) ?? [])
      : [];
    return {
      rolesInOrganization: rolesIn(principal, assembly.organizationId),
      memberOfASeat: seats.some((seat) => rolesIn(principal, seat.organizationId).size > 0),
      delegateOfASeat: personId !== null && seats.some((seat) => seat.delegateId === personId),
      memberOfAFederationAbove: federations.some((federationId) => rolesIn(principal, federationId).size > 0),
    };
  }

  async mayManage(principal: Principal, assembly: AssemblyRecord): Promise<boolean> {
    return mayManageAssembly(await this.facts(principal, assembly, false));
  }

  async requireAssembly(manager: EntityManager, id: string, lock = false): Promise<AssemblyRecord> {
    const assembly = await this.repository.findAssembly(manager, id, lock);
    if (assembly === null) {
      throw new DomainError(GOVERNANCE_ERRORS.ASSEMBLY_NOT_FOUND, `Assembly ${id} does not exist`, { id });
    }
    return assembly;
  }

  /**
   * The voter the caller acts for: in a members' assembly, the caller (a member now); in a confederal one,
   * the seat the caller is the delegate of (named when there are several).
   */
  private async ownVoter(
    manager: EntityManager,
    principal: Principal,
    assembly: AssemblyRecord,
    fromVoterId: string | null,
  ): Promise<string> {
    const { personId } = requirePerson(principal);
    if (assembly.kind === 'MEMBERS') {
      const member = (await this.organizations.activeMembers(manager, assembly.organizationId)).some(
        (membership) => membership.personId === personId,
      );
      if (!member || (fromVoterId !== null && fromVoterId !== personId)) {
        throw new DomainError(GOVERNANCE_ERRORS.NOT_A_VOTER, 'You are not a voter of this assembly', {
          assemblyId: assembly.id,
        });
      }
      return personId;
    }
    const seats = (await this.repository.listSeats(manager, assembly.id)).filter(
      (seat) => seat.delegateId === personId,
    );
    const seat =
      fromVoterId === null
        ? seats.length === 1
          ? seats[0]
          : undefined
        : seats.find((s) => s.organizationId === fromVoterId);
    if (seat === undefined) {
      throw new DomainError(
        GOVERNANCE_ERRORS.NOT_A_VOTER,
        seats.length > 1
          ? 'You are the delegate of several seats: name the seat (fromVoterId)'
          : 'You are the delegate of no such seat',
        { assemblyId: assembly.id },
      );
    }
    return seat.organizationId;
  }

  private async isVoterNow(manager: EntityManager, assembly: AssemblyRecord, voterId: string): Promise<boolean> {
    if (assembly.kind === 'MEMBERS') {
      const members = await this.organizations.activeMembers(manager, assembly.organizationId);
      return members.some((membership) => membership.personId === voterId);
    }
    return (await this.repository.findSeat(manager, assembly.id, voterId)) !== null;
  }

  private async requireDelegationScope(
    manager: EntityManager,
    assembly: AssemblyRecord,
    motionId: string | null,
  ): Promise<void> {
    if (!assembly.delegationAllowed) {
      throw new DomainError(GOVERNANCE_ERRORS.DELEGATION_DISABLED, 'This assembly does not allow delegation', {
        assemblyId: assembly.id,
      });
    }
    if (motionId === null) return;
    const motion = await this.repository.findMotion(manager, motionId);
    if (motion === null || motion.assemblyId !== assembly.id) {
      throw new DomainError(GOVERNANCE_ERRORS.MOTION_NOT_FOUND, `Motion ${motionId} is not a motion of this assembly`, {
        id: motionId,
      });
    }
    if (motion.secret) {
      throw new DomainError(GOVERNANCE_ERRORS.DELEGATION_DISABLED, 'A secret ballot is never delegated', {
        motionId,
      });
    }
    if (motion.status === 'CLOSED' || motion.status === 'WITHDRAWN') {
      throw new DomainError(GOVERNANCE_ERRORS.MOTION_CLOSED, 'The motion has closed', { motionId });
    }
  }

  private async requireConfederal(manager: EntityManager, assemblyId: string): Promise<AssemblyRecord> {
    const assembly = await this.requireAssembly(manager, assemblyId, true);
    if (assembly.kind !== 'CONFEDERAL') {
      throw new DomainError(GOVERNANCE_ERRORS.NOT_CONFEDERAL, "A members' assembly has no seats", {
        assemblyId,
      });
    }
    return assembly;
  }

  private async requireFederationMember(federationId: string, organizationId: string): Promise<void> {
    const ties = await this.organizations.federationMemberships({ federationId, memberId: organizationId });
    if (!ties.some((tie) => tie.status === 'ACTIVE')) {
      throw new DomainError(
        GOVERNANCE_ERRORS.NOT_A_MEMBER_ORGANIZATION,
        'The organisation is not an active member of the federation',
        { organizationId },
      );
    }
  }
}

function settingsOf(assembly: AssemblyRecord) {
  return {
    name: assembly.name,
    kind: assembly.kind,
    delegationAllowed: assembly.delegationAllowed,
    outcomesPublic: assembly.outcomesPublic,
  };
}

function seatJson(seat: SeatRecord) {
  return { organizationId: seat.organizationId, weight: seat.weight.toString(), delegateId: seat.delegateId };
}

function delegationJson(delegation: DelegationRecord) {
  return { fromVoter: delegation.fromVoter, toVoter: delegation.toVoter, motionId: delegation.motionId };
}
