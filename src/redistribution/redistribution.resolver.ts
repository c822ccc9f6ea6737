import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { toConnection } from '../kernel/graphql/connection.js';
import { decodeCursor, decodePositionCursor, encodeCursor, positionKey } from '../kernel/graphql/cursor.js';
import { requireStorableDate } from '../kernel/graphql/dates.js';
import { PageArgs } from '../kernel/graphql/page.args.js';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import type { Principal } from '../kernel/principal.js';
import {
  ExecuteRedistributionRunInput,
  PreviewRedistributionRunInput,
  RedistributionPoliciesArgs,
  ReverseRedistributionRunInput,
} from './graphql/redistribution.inputs.js';
import {
  ExecuteRedistributionRunResultModel,
  RedistributionLegModel,
  RedistributionLineConnectionModel,
  RedistributionLineModel,
  RedistributionPolicyConnectionModel,
  RedistributionPolicyModel,
  RedistributionPolicyVersionModel,
  RedistributionRunConnectionModel,
  RedistributionRunModel,
  RedistributionRunPreviewModel,
} from './graphql/redistribution.models.js';
import type { RunLineRecord } from './redistribution.records.js';
import { RedistributionService } from './redistribution.service.js';

const LINE_CURSOR = 'redistribution-line';
const LINE_KEY = /^[0-9]\|(SOURCE|DESTINATION)\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function lineKey(line: RunLineRecord): string {
  return `${line.leg}|${line.role}|${line.accountId}`;
}

function decodeLineCursor(cursor: string | null | undefined): { leg: number; role: string; accountId: string } | null {
  const key = decodeCursor(LINE_CURSOR, cursor, LINE_KEY);
  if (key === null) return null;
  const [leg = '0', role = '', accountId = ''] = key.split('|');
  return { leg: Number.parseInt(leg, 10), role, accountId };
}

function runKey(run: { executedAt: Date; id: string }): string {
  return positionKey({ createdAt: run.executedAt, id: run.id });
}

@Resolver(() => RedistributionPolicyModel)
export class RedistributionPolicyResolver {
  constructor(@Inject(RedistributionService) private readonly redistribution: RedistributionService) {}

  @Query(() => RedistributionPolicyModel, { description: "A redistribution policy (the organisation's members)." })
  async redistributionPolicy(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RedistributionPolicyModel> {
    return RedistributionPolicyModel.from(await this.redistribution.policy(principal, id));
  }

  @Query(() => RedistributionPolicyConnectionModel, { description: "An organisation's policies (its members)." })
  async redistributionPolicies(
    @CurrentPrincipal() principal: Principal,
    @Args() args: RedistributionPoliciesArgs,
  ): Promise<RedistributionPolicyConnectionModel> {
    const rows = await this.redistribution.policies(principal, {
      organizationId: args.organizationId,
      after: decodePositionCursor('redistribution-policy', args.after),
      limit: args.first + 1,
    });
    return toConnection(rows, args.first, 'redistribution-policy', positionKey, (row) =>
      RedistributionPolicyModel.from(row),
    );
  }

  @ResolveField(() => [RedistributionPolicyVersionModel], { description: 'Every version, oldest first.' })
  async versions(
    @CurrentPrincipal() principal: Principal,
    @Parent() policy: RedistributionPolicyModel,
  ): Promise<RedistributionPolicyVersionModel[]> {
    const versions = await this.redistribution.versions(principal, policy.id);
    return versions.map((version) => RedistributionPolicyVersionModel.from(version));
  }

  @ResolveField(() => RedistributionRunConnectionModel, { description: 'Its runs, oldest first.' })
  async runs(
    @CurrentPrincipal() principal: Principal,
    @Parent() policy: RedistributionPolicyModel,
    @Args() args: PageArgs,
  ): Promise<RedistributionRunConnectionModel> {
    const rows = await this.redistribution.runs(principal, {
      policyId: policy.id,
      after: decodePositionCursor('redistribution-run', args.after),
      limit: args.first + 1,
    });
    return toConnection(rows, args.first, 'redistribution-run', runKey, (row) => RedistributionRunModel.from(row));
  }

  @Query(() => RedistributionRunPreviewModel, {
    description:
      "Computes a run of the policy's current version over a period that has ended, writing nothing: every " +
      "source's measure, every destination's weight, exact share, rounding and amount, and why (members).",
  })
  async previewRedistributionRun(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: PreviewRedistributionRunInput,
  ): Promise<RedistributionRunPreviewModel> {
    const preview = await this.redistribution.preview(principal, {
      policyId: input.policyId,
      period: {
        start: requireStorableDate(input.periodStart, 'periodStart'),
        end: requireStorableDate(input.periodEnd, 'periodEnd'),
      },
    });
    const after = decodeLineCursor(input.linesAfter);
    const lines = preview.plan.lines
      .map((line) => ({
        leg: line.leg,
        role: line.role,
        accountId: line.accountId,
        basis: line.basis,
        exactShare: line.exact === null ? null : `${line.exact.numerator}/${line.exact.denominator}`,
        amount: line.amount,
        explanation: line.explanation,
      }))
      .sort(
        (a, b) => a.leg - b.leg || (a.role < b.role ? -1 : a.role > b.role ? 1 : a.accountId < b.accountId ? -1 : 1),
      )
      .filter((line) => after === null || compareKeys(line, after) > 0)
      .slice(0, input.linesFirst + 1);
    return Object.assign(new RedistributionRunPreviewModel(), {
      policyId: preview.policy.id,
      version: preview.version,
      periodStart: preview.period.start,
      periodEnd: preview.period.end,
      total: preview.plan.total,
      digest: preview.digest,
      legs: preview.plan.legs.map((leg) =>
        RedistributionLegModel.from(leg, preview.plan.transfers.filter((transfer) => transfer.leg === leg.leg).length),
      ),
      lineCount: preview.plan.lines.length,
      transactionCount: preview.plan.transfers.length,
      lines: toConnection(lines, input.linesFirst, LINE_CURSOR, lineKey, (line) => RedistributionLineModel.from(line)),
      existingRun: preview.existingRun === null ? null : RedistributionRunModel.from(preview.existingRun),
    });
  }

  @Mutation(() => ExecuteRedistributionRunResultModel, {
    description:
      'Executes the run you previewed (TREASURER or ADMIN): all its transfers commit together under the ' +
      "run's authority, or none. Refused if the books moved since the preview (STALE_PREVIEW); made once per " +
      'policy version and period (executing again replays it).',
  })
  async executeRedistributionRun(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ExecuteRedistributionRunInput,
  ): Promise<ExecuteRedistributionRunResultModel> {
    const result = await this.redistribution.execute(principal, {
      policyId: input.policyId,
      period: {
        start: requireStorableDate(input.periodStart, 'periodStart'),
        end: requireStorableDate(input.periodEnd, 'periodEnd'),
      },
      previewDigest: input.previewDigest,
    });
    return Object.assign(new ExecuteRedistributionRunResultModel(), {
      run: RedistributionRunModel.from(result.run),
      replayed: result.replayed,
    });
  }
}

@Resolver(() => RedistributionRunModel)
export class RedistributionRunResolver {
  constructor(@Inject(RedistributionService) private readonly redistribution: RedistributionService) {}

  @Query(() => RedistributionRunModel, { description: 'A run with its explanation (the organisation’s members).' })
  async redistributionRun(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RedistributionRunModel> {
    return RedistributionRunModel.from(await this.redistribution.run(principal, id));
  }

  @Mutation(() => RedistributionRunModel, {
    description: 'Reverses every transaction of a run, all or none (TREASURER or ADMIN), recording who asked and why.',
  })
  async reverseRedistributionRun(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ReverseRedistributionRunInput,
  ): Promise<RedistributionRunModel> {
    return RedistributionRunModel.from(await this.redistribution.reverse(principal, input));
  }

  @ResolveField(() => RedistributionLineConnectionModel, {
    description: 'Every line, by leg, role and account: what it gave or got, and why.',
  })
  async lines(
    @CurrentPrincipal() principal: Principal,
    @Parent() run: RedistributionRunModel,
    @Args() args: PageArgs,
  ): Promise<RedistributionLineConnectionModel> {
    const page = await this.redistribution.lines(principal, {
      runId: run.id,
      after: decodeLineCursor(args.after),
      first: args.first,
    });
    const cursorOf = (key: { leg: number; role: string; accountId: string }) =>
      encodeCursor(LINE_CURSOR, `${key.leg}|${key.role}|${key.accountId}`);
    return {
      edges: page.lines.map((line) => ({ cursor: cursorOf(line.cursorKey), node: RedistributionLineModel.from(line) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endKey === null ? null : cursorOf(page.endKey) },
    };
  }
}

function compareKeys(
  line: { leg: number; role: string; accountId: string },
  after: { leg: number; role: string; accountId: string },
): number {
  if (line.leg !== after.leg) return line.leg - after.leg;
  if (line.role !== after.role) return line.role < after.role ? -1 : 1;
  return line.accountId < after.accountId ? -1 : line.accountId > after.accountId ? 1 : 0;
}
