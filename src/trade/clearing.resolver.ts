import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { toConnection } from '../kernel/graphql/connection.js';
import { decodePositionCursor, positionKey } from '../kernel/graphql/cursor.js';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import { requireUuid } from '../kernel/ids.js';
import type { Principal } from '../kernel/principal.js';
import { ClearingService } from './clearing.service.js';
import {
  ClearingRoundIdInput,
  ClearingRoundsArgs,
  DecideClearingConsentInput,
  PreviewClearingRoundInput,
  SetClearingSettingsInput,
} from './graphql/trade.inputs.js';
import {
  ClearingParticipantModel,
  ClearingRoundConnectionModel,
  ClearingRoundModel,
  ClearingSettingsModel,
  SetOffNoticeModel,
} from './graphql/trade.models.js';

@Resolver(() => ClearingRoundModel)
export class ClearingResolver {
  constructor(@Inject(ClearingService) private readonly clearing: ClearingService) {}

  @Mutation(() => ClearingSettingsModel, {
    description: "Sets how the federation's members consent to clearing rounds (its TREASURER or ADMIN).",
  })
  async setClearingSettings(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SetClearingSettingsInput,
  ): Promise<ClearingSettingsModel> {
    return ClearingSettingsModel.from(
      await this.clearing.setSettings(principal, { ...input, federationId: input.federationId.toLowerCase() }),
    );
  }

  @Mutation(() => ClearingRoundModel, {
    description:
      "Previews a clearing round over the accepted, unpaid obligations between the federation's members in a unit: " +
      'the least remaining debt that keeps every net position (its TREASURER or ADMIN). The same id replays it.',
  })
  async previewClearingRound(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: PreviewClearingRoundInput,
  ): Promise<ClearingRoundModel> {
    const standing = await this.clearing.preview(principal, {
      id: input.id.toLowerCase(),
      federationId: input.federationId.toLowerCase(),
      unitCode: input.unitCode,
    });
    return ClearingRoundModel.from(standing.round);
  }

  @Mutation(() => ClearingRoundModel, {
    description:
      'Consents to a round, or declines it, for a participant (its TREASURER or ADMIN). A decline removes the ' +
      "participant's obligations and recomputes the round.",
  })
  async decideClearingConsent(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: DecideClearingConsentInput,
  ): Promise<ClearingRoundModel> {
    const standing = await this.clearing.decideConsent(principal, {
      roundId: input.roundId.toLowerCase(),
      organizationId: input.organizationId.toLowerCase(),
      consent: input.consent,
    });
    return ClearingRoundModel.from(standing.round);
  }

  @Mutation(() => ClearingRoundModel, {
    description:
      'Executes a round once its participants agreed (or the deadline passed): every set-off is written against its ' +
      'invoice at once. Run again, it changes nothing.',
  })
  async executeClearingRound(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ClearingRoundIdInput,
  ): Promise<ClearingRoundModel> {
    return ClearingRoundModel.from((await this.clearing.execute(principal, input.roundId.toLowerCase())).round);
  }

  @Query(() => ClearingRoundModel, { description: "A clearing round (the federation's stewards, the participants)." })
  async clearingRound(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ClearingRoundModel> {
    return ClearingRoundModel.from((await this.clearing.round(principal, requireUuid(id, 'id'))).round);
  }

  @Query(() => ClearingRoundConnectionModel, {
    description: "A federation's clearing rounds, newest first (its stewards).",
  })
  async clearingRounds(
    @CurrentPrincipal() principal: Principal,
    @Args() args: ClearingRoundsArgs,
  ): Promise<ClearingRoundConnectionModel> {
    const rows = await this.clearing.rounds(principal, {
      federationId: requireUuid(args.federationId, 'federationId'),
      after: decodePositionCursor('clearing-round', args.after),
      limit: args.first + 1,
    });
    return toConnection(rows, args.first, 'clearing-round', positionKey, (row) => ClearingRoundModel.from(row));
  }

  @Query(() => ClearingSettingsModel, {
    description: "How the federation's members consent to clearing (its stewards).",
  })
  async clearingSettings(
    @CurrentPrincipal() principal: Principal,
    @Args('federationId', { type: () => ID }) federationId: string,
  ): Promise<ClearingSettingsModel> {
    return ClearingSettingsModel.from(
      await this.clearing.settings(principal, requireUuid(federationId, 'federationId')),
    );
  }

  @ResolveField(() => [ClearingParticipantModel], {
    description: 'The members whose obligations it reduces (and those who declined or lapsed).',
  })
  async participants(
    @CurrentPrincipal() principal: Principal,
    @Parent() round: ClearingRoundModel,
  ): Promise<ClearingParticipantModel[]> {
    const standing = await this.clearing.round(principal, round.id);
    return standing.participants.map((p) => ClearingParticipantModel.from(p, standing.setOffs));
  }

  @ResolveField(() => [SetOffNoticeModel], {
    description: "The set-off notices: every one for the federation's stewards, your organisations' for participants.",
  })
  async notices(
    @CurrentPrincipal() principal: Principal,
    @Parent() round: ClearingRoundModel,
  ): Promise<SetOffNoticeModel[]> {
    return (await this.clearing.round(principal, round.id)).setOffs.map((s) => SetOffNoticeModel.from(s));
  }
}
