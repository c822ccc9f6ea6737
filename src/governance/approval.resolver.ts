import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { toConnection } from '../kernel/graphql/connection.js';
import { decodePositionCursor, positionKey } from '../kernel/graphql/cursor.js';
import { requireStorableDate } from '../kernel/graphql/dates.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import { requireUuid } from '../kernel/ids.js';
import type { Principal } from '../kernel/principal.js';
import type { ApprovalRequestRecord } from './governance.records.js';
import { ApprovalsService } from './approvals.service.js';
import { GOVERNANCE_ERRORS } from './governance.errors.js';
import {
  ApprovalRequestIdInput,
  ApprovalRequestsArgs,
  ChangeApprovalRequestInput,
  DecideApprovalInput,
  RequestApprovalInput,
} from './graphql/governance.inputs.js';
import {
  ApprovalDecisionModel,
  ApprovalRequestConnectionModel,
  ApprovalRequestModel,
  ApprovalTallyModel,
} from './graphql/governance.models.js';

@Resolver(() => ApprovalRequestModel)
export class ApprovalRequestResolver {
  constructor(@Inject(ApprovalsService) private readonly approvals: ApprovalsService) {}

  @Mutation(() => ApprovalRequestModel, {
    description:
      'Asks for N of M approvals of an action (TREASURER or ADMIN). Approvers: a role’s holders or a named ' +
      'committee; its author and payees never approve.',
  })
  async requestApproval(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RequestApprovalInput,
  ): Promise<ApprovalRequestModel> {
    const role = input.approverRole ?? null;
    const committee = input.committee ?? null;
    if ((role === null) === (committee === null)) {
      const problem = 'a request names its approvers by approverRole or by committee, not both';
      throw new DomainError(GOVERNANCE_ERRORS.INVALID_APPROVAL_REQUEST, `The request is not well formed: ${problem}`, {
        problem,
      });
    }
    const request = await this.approvals.request(principal, {
      id: input.id,
      organizationId: input.organizationId,
      title: input.title,
      action: { kind: input.action.kind, params: input.action.params },
      approvers: role === null ? { committee: committee ?? [] } : { role },
      required: input.required,
      expiresAt: requireStorableDate(input.expiresAt, 'expiresAt'),
    });
    return this.present(principal, request);
  }

  @Mutation(() => ApprovalRequestModel, {
    description: 'Approves, refuses or recuses yourself, on the version you read. The Nth approval runs the action.',
  })
  async decideApproval(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: DecideApprovalInput,
  ): Promise<ApprovalRequestModel> {
    return this.present(principal, await this.approvals.decide(principal, input));
  }

  @Mutation(() => ApprovalRequestModel, {
    description: "Changes the action's parameters (its author): a new version, voiding every approval so far.",
  })
  async changeApprovalRequest(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangeApprovalRequestInput,
  ): Promise<ApprovalRequestModel> {
    return this.present(
      principal,
      await this.approvals.change(principal, {
        requestId: input.requestId,
        title: input.title ?? null,
        params: input.params,
      }),
    );
  }

  @Mutation(() => ApprovalRequestModel, { description: 'Withdraws an open request (its author or an ADMIN).' })
  async withdrawApprovalRequest(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ApprovalRequestIdInput,
  ): Promise<ApprovalRequestModel> {
    return this.present(principal, await this.approvals.withdraw(principal, input.requestId));
  }

  @Query(() => ApprovalRequestModel, { description: 'An approval request of an organisation you are a member of.' })
  async approvalRequest(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ApprovalRequestModel> {
    return this.present(principal, (await this.approvals.standing(principal, requireUuid(id, 'id'))).request);
  }

  @Query(() => ApprovalRequestConnectionModel, { description: "An organisation's approval requests, newest first." })
  async approvalRequests(
    @CurrentPrincipal() principal: Principal,
    @Args() args: ApprovalRequestsArgs,
  ): Promise<ApprovalRequestConnectionModel> {
    const rows = await this.approvals.requests(principal, {
      organizationId: args.organizationId,
      status: args.status ?? null,
      after: decodePositionCursor('approval-request', args.after),
      limit: args.first + 1,
    });
    return toConnection(rows, args.first, 'approval-request', positionKey, (row) => this.present(principal, row));
  }

  private present(principal: Principal, request: ApprovalRequestRecord): ApprovalRequestModel {
    return ApprovalRequestModel.from(request, this.approvals.hidesPartiesFrom(principal, request));
  }

  @ResolveField(() => [ApprovalDecisionModel], { description: 'Every decision, on every version.' })
  async decisions(
    @CurrentPrincipal() principal: Principal,
    @Parent() request: ApprovalRequestModel,
  ): Promise<ApprovalDecisionModel[]> {
    const standing = await this.approvals.standing(principal, request.id);
    return standing.decisions.map((decision) => ApprovalDecisionModel.from(decision, standing.request.version));
  }

  @ResolveField(() => ApprovalTallyModel, { description: 'Where the current version stands.' })
  async tally(
    @CurrentPrincipal() principal: Principal,
    @Parent() request: ApprovalRequestModel,
  ): Promise<ApprovalTallyModel> {
    const standing = await this.approvals.standing(principal, request.id);
    return ApprovalTallyModel.from(standing.request.required, standing.verdict);
  }

  @ResolveField(() => [ID], { description: 'Who may decide on the current version now (M, less recusals).' })
  async approvers(
    @CurrentPrincipal() principal: Principal,
    @Parent() request: ApprovalRequestModel,
  ): Promise<string[]> {
    return [...(await this.approvals.standing(principal, request.id)).verdict.eligible];
  }
}
