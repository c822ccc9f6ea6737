import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import type { Position } from '../kernel/graphql/cursor.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { rolesIn, systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { SchedulerService } from '../kernel/scheduling/scheduler.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { EffectRegistry } from './effect-registry.js';
import { GOVERNANCE_ERRORS } from './governance.errors.js';
import type {
  ApprovalDecisionRecord,
  ApprovalRequestRecord,
  ApprovalStatus,
  NewApprovalRequest,
} from './governance.records.js';
import { GovernanceRepository } from './governance.repository.js';
import { canonicalJson } from './rules/canonical-json.js';
import {
  checkApprovalRequest,
  checkDecision,
  decideApprovals,
  type ApprovalRequestState,
  type ApprovalVerdict,
} from './rules/approvals.js';
import { maySeeApprovalRequests, mayWithdrawRequest, type CallerFacts } from './rules/governance-access.js';

export const EXPIRE_APPROVAL = 'governance.expire-approval';
const APPROVALS_ACTOR = 'governance.approvals';
export const MAX_COMMITTEE = 50;
const MAX_REQUEST_DAYS = 366;

/** A request with where its decisions stand. */
export interface RequestStanding {
  readonly request: ApprovalRequestRecord;
  readonly decisions: readonly ApprovalDecisionRecord[];
  readonly verdict: ApprovalVerdict;
}

/**
 * N-of-M approval requests: an action a rule says needs sign-off rather than a vote. Every write takes the
 * request's row FOR UPDATE (READ COMMITTED), so decisions on one request are taken one at a time; the
 * action runs once, in the transaction of the approval that completes N, with the request as its authority.
 */
@Injectable()
export class ApprovalsService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GovernanceRepository) private readonly repository: GovernanceRepository,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(EffectRegistry) private readonly registry: EffectRegistry,
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(EXPIRE_APPROVAL, async (occurrence) => {
      await this.expire(occurrence.key);
    });
  }

  /** A request made by a TREASURER or ADMIN of the organisation, over the API. */
  async request(principal: Principal, input: NewApprovalRequest): Promise<ApprovalRequestRecord> {
    requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.organizations.requireOrganization(manager, input.organizationId);
      await this.organizations.requireRole(principal, input.organizationId, ['TREASURER', 'ADMIN'], manager);
      return this.requestIn(manager, principal, input);
    });
  }

  /**
   * Makes a request in the caller's transaction: for a module whose workflow needs sign-off (a strike fund
   * draw) and has decided that the person may ask. The person is its author.
   */
  async requestIn(
    manager: EntityManager,
    principal: Principal,
    input: NewApprovalRequest,
  ): Promise<ApprovalRequestRecord> {
    const { personId } = requirePerson(principal);
    const existing = await this.repository.findRequest(manager, input.id);
    if (existing !== null) {
      if (existing.authorId === personId && existing.organizationId === input.organizationId) return existing;
      throw new DomainError(GOVERNANCE_ERRORS.ID_TAKEN, `The id ${input.id} names another request`, { id: input.id });
    }
    const now = this.clock.now();
    const title = input.title.trim();
    if (title.length === 0) refuse('a request has a title of 1 to 200 characters');
    if (input.expiresAt <= now) refuse('a request expires in the future');
    if (input.expiresAt.getTime() - now.getTime() > MAX_REQUEST_DAYS * 86_400_000) {
      refuse(`a request expires within ${MAX_REQUEST_DAYS} days`);
    }
    const checked = await this.registry.action(input.action.kind).check(manager, {
      organizationId: input.organizationId,
      params: input.action.params,
    });
    const committee = 'committee' in input.approvers ? [...new Set(input.approvers.committee)].sort() : null;
    if (committee !== null) {
      if (committee.length === 0 || committee.length > MAX_COMMITTEE) {
        refuse(`a committee has 1 to ${MAX_COMMITTEE} people`);
      }
      const members = new Set(
        (await this.organizations.activeMembers(manager, input.organizationId)).map((member) => member.personId),
      );
      if (committee.some((person) => !members.has(person)))
        refuse("a committee's people are members of the organisation");
    }
    const request = await this.repository.insertRequest(manager, {
      id: input.id,
      organizationId: input.organizationId,
      title,
      action: { kind: input.action.kind, params: checked.params },
      approverRole: 'role' in input.approvers ? input.approvers.role : null,
      committee,
      required: input.required,
      authorId: personId,
      payeeIds: [...new Set(checked.payeeIds)].sort(),
      version: 1,
      expiresAt: input.expiresAt,
      status: 'OPEN',
      result: null,
      createdAt: now,
      decidedAt: null,
    });
    await this.requireReachable(manager, request);
    await this.scheduler.at(manager, { work: EXPIRE_APPROVAL, key: request.id, runAt: request.expiresAt });
    await this.audit.record(manager, {
      actor: principal,
      action: 'APPROVAL_REQUESTED',
      organizationId: request.organizationId,
      subject: { type: 'APPROVAL_REQUEST', id: request.id },
      after: requestJson(request),
    });
    return request;
  }

  /**
   * Records an approver's decision on the version they read. When N approve, the action runs (once, here);
   * when enough refuse that N can no longer be reached, the request is declined.
   */
  async decide(
    principal: Principal,
    input: { requestId: string; version: number; decision: ApprovalDecisionRecord['decision']; reason: string },
  ): Promise<ApprovalRequestRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const request = await this.requireRequest(manager, input.requestId, true);
      const now = this.clock.now();
      // Who may decide comes first: nobody else learns anything of the request's state.
      if (request.authorId === personId || request.payeeIds.includes(personId)) {
        throw new DomainError(
          GOVERNANCE_ERRORS.MAY_NOT_APPROVE,
          'The author and the payees never decide on a request',
          {
            requestId: request.id,
          },
        );
      }
      const state = await this.stateOf(manager, request, now);
      if (!state.approvers.includes(personId)) {
        throw new DomainError(GOVERNANCE_ERRORS.NOT_AN_APPROVER, 'You are not among the approvers of this request', {
          requestId: request.id,
        });
      }
      this.requireOpen(request, now);
      if (request.version !== input.version) {
        throw new DomainError(GOVERNANCE_ERRORS.VERSION_CHANGED, 'The request changed since you read it', {
          requestId: request.id,
          version: request.version,
        });
      }
      const decisions = await this.repository.listDecisions(manager, request.id);
      switch (checkDecision(state, personId, input.decision, decisions.map(toDecision))) {
        case null:
          break;
        case 'ALREADY_DECIDED':
          throw new DomainError(GOVERNANCE_ERRORS.ALREADY_DECIDED, 'You have decided on this version already', {
            requestId: request.id,
            version: request.version,
          });
        case 'REQUEST_CLOSED':
          throw new DomainError(GOVERNANCE_ERRORS.REQUEST_CLOSED, 'The request is no longer open', {
            requestId: request.id,
          });
        default:
          throw new DomainError(GOVERNANCE_ERRORS.NOT_AN_APPROVER, 'You are not among the approvers of this request', {
            requestId: request.id,
          });
      }
      const decision: ApprovalDecisionRecord = {
        requestId: request.id,
        approverId: personId,
        version: request.version,
        decision: input.decision,
        reason: input.reason,
        decidedAt: now,
      };
      await this.repository.insertDecision(manager, decision);
      await this.audit.record(manager, {
        actor: principal,
        action: `APPROVAL_${input.decision === 'APPROVE' ? 'GIVEN' : input.decision === 'REFUSE' ? 'REFUSED' : 'RECUSED'}`,
        organizationId: request.organizationId,
        subject: { type: 'APPROVAL_REQUEST', id: request.id },
        after: { version: request.version, decision: input.decision, reason: input.reason },
      });
      const verdict = decideApprovals(state, [...decisions, decision].map(toDecision));
      if (verdict.status === 'APPROVED') {
        const result = await this.registry.action(request.action.kind).apply(manager, {
          request,
          params: request.action.params,
        });
        return this.closeIn(manager, request, 'APPROVED', result, principal);
      }
      if (verdict.status === 'DECLINED') return this.closeIn(manager, request, 'DECLINED', null, principal);
      return request;
    });
  }

  /** Changes the action (its author): a new version, on which every earlier decision no longer counts. */
  async change(
    principal: Principal,
    input: { requestId: string; title: string | null; params: Record<string, unknown> },
  ): Promise<ApprovalRequestRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const request = await this.requireRequest(manager, input.requestId, true);
      const stillMember = (await this.organizations.activeMembers(manager, request.organizationId)).some(
        (member) => member.personId === personId,
      );
      if (request.authorId !== personId || !stillMember) {
        throw new DomainError(
          GOVERNANCE_ERRORS.MAY_NOT_CHANGE_REQUEST,
          'Only its author, while a member, changes a request',
          {
            requestId: request.id,
          },
        );
      }
      this.requireOpen(request, this.clock.now());
      const title = input.title?.trim() ?? request.title;
      if (title.length === 0) refuse('a request has a title of 1 to 200 characters');
      const checked = await this.registry.action(request.action.kind).check(manager, {
        organizationId: request.organizationId,
        params: input.params,
      });
      const action = { kind: request.action.kind, params: checked.params };
      if (title === request.title && canonicalJson(action) === canonicalJson(request.action)) return request;
      const changed = await this.repository.changeRequestAction(manager, request.id, {
        title,
        action,
        payeeIds: [...new Set(checked.payeeIds)].sort(),
        version: request.version + 1,
      });
      await this.requireReachable(manager, changed);
      await this.audit.record(manager, {
        actor: principal,
        action: 'APPROVAL_REQUEST_CHANGED',
        organizationId: request.organizationId,
        subject: { type: 'APPROVAL_REQUEST', id: request.id },
        before: requestJson(request),
        after: requestJson(changed),
      });
      return changed;
    });
  }

  /** Withdraws an open request (its author, or an ADMIN of the organisation). */
  async withdraw(principal: Principal, requestId: string): Promise<ApprovalRequestRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const request = await this.requireRequest(manager, requestId, true);
      if (!mayWithdrawRequest(factsOf(principal, request.organizationId), request.authorId === personId)) {
        throw new DomainError(
          GOVERNANCE_ERRORS.MAY_NOT_CHANGE_REQUEST,
          'Only its author or an ADMIN withdraws a request',
          {
            requestId,
          },
        );
      }
      if (request.status === 'WITHDRAWN') return request;
      this.requireOpen(request, this.clock.now());
      return this.closeIn(manager, request, 'WITHDRAWN', null, principal);
    });
  }

  /** Scheduled at a request's expiry: an open request expires. */
  private async expire(requestId: string): Promise<void> {
    await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const request = await this.repository.findRequest(manager, requestId, true);
      if (request?.status !== 'OPEN' || this.clock.now() < request.expiresAt) return;
      await this.closeIn(manager, request, 'EXPIRED', null, systemPrincipal(APPROVALS_ACTOR, {}));
    });
  }

  // Reads

  async standing(principal: Principal, requestId: string): Promise<RequestStanding> {
    const manager = this.dataSource.manager;
    const request = await this.requireRequest(manager, requestId, false);
    this.requireVisible(principal, request.organizationId);
    return this.standingOf(manager, request);
  }

  async standingOf(manager: EntityManager, request: ApprovalRequestRecord): Promise<RequestStanding> {
    const decisions = await this.repository.listDecisions(manager, request.id);
    const state = await this.stateOf(manager, request, this.clock.now());
    return { request, decisions, verdict: decideApprovals(state, decisions.map(toDecision)) };
  }

  async requests(
    principal: Principal,
    filter: {
      organizationId: string;
      status: ApprovalStatus | null;
      after: Position | null;
      limit: number;
    },
  ): Promise<ApprovalRequestRecord[]> {
    this.requireVisible(principal, filter.organizationId);
    return this.repository.listRequests(this.dataSource.manager, filter);
  }

  /**
   * Whether the caller is kept from seeing the request's author, payees and parameters: its action hides them
   * (blind review) and the caller is not its author.
   */
  hidesPartiesFrom(principal: Principal, request: ApprovalRequestRecord): boolean {
    const author = principal.kind === 'PERSON' && principal.personId === request.authorId;
    return !author && this.registry.action(request.action.kind).hidesParties?.(request) === true;
  }

  /** Reads a request for a module that made it (its own rules decide who sees it). */
  async find(manager: EntityManager, requestId: string): Promise<ApprovalRequestRecord | null> {
    return this.repository.findRequest(manager, requestId);
  }

  private requireVisible(principal: Principal, organizationId: string): void {
    if (!maySeeApprovalRequests(factsOf(principal, organizationId))) {
      throw new DomainError(
        GOVERNANCE_ERRORS.ASSEMBLY_NOT_VISIBLE,
        "Only the organisation's members see its requests",
        {
          organizationId,
        },
      );
    }
  }

  private async closeIn(
    manager: EntityManager,
    request: ApprovalRequestRecord,
    status: Exclude<ApprovalStatus, 'OPEN'>,
    result: Record<string, unknown> | null,
    actor: Principal,
  ): Promise<ApprovalRequestRecord> {
    if (status !== 'APPROVED') await this.registry.action(request.action.kind).closed?.(manager, { request, status });
    const closed = await this.repository.closeRequest(manager, request.id, status, result, this.clock.now());
    await this.scheduler.cancel(manager, EXPIRE_APPROVAL, request.id);
    await this.audit.record(manager, {
      actor,
      action: `APPROVAL_REQUEST_${status}`,
      organizationId: request.organizationId,
      subject: { type: 'APPROVAL_REQUEST', id: request.id },
      before: { status: request.status },
      after: { status, version: request.version, result },
    });
    return closed;
  }

  /** The approvers now: the role's holders, or the committee's members still in the organisation. */
  private async approversNow(manager: EntityManager, request: ApprovalRequestRecord): Promise<string[]> {
    const members = await this.organizations.activeMembers(manager, request.organizationId);
    const candidates =
      request.committee !== null
        ? request.committee.filter((person) => members.some((member) => member.personId === person))
        : members
            .filter((member) => member.roles.includes(request.approverRole ?? ''))
            .map((member) => member.personId);
    return [...new Set(candidates)].sort();
  }

  private async stateOf(
    manager: EntityManager,
    request: ApprovalRequestRecord,
    now: Date,
  ): Promise<ApprovalRequestState> {
    return {
      required: request.required,
      approvers: await this.approversNow(manager, request),
      excluded: [request.authorId, ...request.payeeIds],
      version: request.version,
      expiresAt: request.expiresAt,
      now,
    };
  }

  /** N is at most the number of people who may decide (M): otherwise the request could never pass. */
  private async requireReachable(manager: EntityManager, request: ApprovalRequestRecord): Promise<void> {
    const state = await this.stateOf(manager, request, this.clock.now());
    const problem = checkApprovalRequest(state);
    if (problem === 'NOT_ENOUGH_APPROVERS') {
      const who = state.approvers.filter((person) => !state.excluded.includes(person)).length;
      refuse(
        `${request.required} approvals are required but ${who} people may approve (its author and payees never do)`,
      );
    }
    if (problem !== null) refuse(`the approvers are not a valid set (${problem.toLowerCase().replaceAll('_', ' ')})`);
  }

  private requireOpen(request: ApprovalRequestRecord, now: Date): void {
    if (request.status !== 'OPEN' || now >= request.expiresAt) {
      throw new DomainError(GOVERNANCE_ERRORS.REQUEST_CLOSED, 'The request is no longer open', {
        requestId: request.id,
        status: request.status,
      });
    }
  }

  private async requireRequest(manager: EntityManager, id: string, lock: boolean): Promise<ApprovalRequestRecord> {
    const request = await this.repository.findRequest(manager, id, lock);
    if (request === null) {
      throw new DomainError(GOVERNANCE_ERRORS.APPROVAL_REQUEST_NOT_FOUND, `Approval request ${id} does not exist`, {
        id,
      });
    }
    return request;
  }
}

function toDecision(decision: ApprovalDecisionRecord) {
  return { approver: decision.approverId, decision: decision.decision, version: decision.version };
}

function refuse(problem: string): never {
  throw new DomainError(GOVERNANCE_ERRORS.INVALID_APPROVAL_REQUEST, `The request is not well formed: ${problem}`, {
    problem,
  });
}

function factsOf(principal: Principal, organizationId: string): CallerFacts {
  return {
    rolesInOrganization: rolesIn(principal, organizationId),
    memberOfASeat: false,
    delegateOfASeat: false,
    memberOfAFederationAbove: false,
  };
}

function requestJson(request: ApprovalRequestRecord) {
  return {
    title: request.title,
    action: request.action,
    approverRole: request.approverRole,
    committee: request.committee,
    required: request.required,
    payeeIds: request.payeeIds,
    version: request.version,
    expiresAt: request.expiresAt.toISOString(),
  };
}
