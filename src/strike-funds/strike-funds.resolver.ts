import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import { requireUuid } from '../kernel/ids.js';
import type { Principal } from '../kernel/principal.js';
import { DrawsService } from './draws.service.js';
import { EscrowService } from './escrow.service.js';
import { FundsService } from './funds.service.js';
import { PledgesService } from './pledges.service.js';
import { StrikesService } from './strikes.service.js';
import {
  ApplyForDrawInput,
  ChangeStipendRulesInput,
  ComputeStipendBatchInput,
  CreateStrikeFundInput,
  CreatePledgeInput,
  CreateStrikeInput,
  DepositEscrowInput,
  EnrolStrikerInput,
  PledgeIdInput,
  RecordContributionInput,
  RecordPicketShiftInput,
  StipendRulesInput,
  SubmitStipendBatchInput,
} from './graphql/strike-funds.inputs.js';
import {
  ContributionModel,
  EscrowDepositModel,
  EscrowHoldingModel,
  EscrowReleaseModel,
  EscrowStandingModel,
  FundReportModel,
  HardshipDrawModel,
  PicketShiftModel,
  PledgeModel,
  StipendBatchModel,
  StipendLineModel,
  StipendRulesModel,
  StrikeFundModel,
  StrikeModel,
  StrikerModel,
} from './graphql/strike-funds.models.js';
import type { StipendRules } from './rules/stipends.js';

/** Funds, contributions, strikes, picket shifts, stipend batches, hardship draws, escrow and reports. */
@Resolver(() => StrikeFundModel)
export class StrikeFundsResolver {
  constructor(
    @Inject(FundsService) private readonly funds: FundsService,
    @Inject(StrikesService) private readonly strikesService: StrikesService,
    @Inject(DrawsService) private readonly draws: DrawsService,
    @Inject(EscrowService) private readonly escrowService: EscrowService,
    @Inject(PledgesService) private readonly pledgesService: PledgesService,
  ) {}

  // Funds and money in

  @Mutation(() => StrikeFundModel, {
    description: 'Opens a fund (TREASURER or ADMIN) with its account, which never goes below zero.',
  })
  async createStrikeFund(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateStrikeFundInput,
  ): Promise<StrikeFundModel> {
    return StrikeFundModel.from(
      await this.funds.createFund(principal, { ...input, purpose: input.purpose, committee: input.committee }),
    );
  }

  @Mutation(() => ContributionModel, {
    description:
      'Records money into a fund: received from outside (TREASURER or ADMIN), or paid from an account you may debit.',
  })
  async recordContribution(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RecordContributionInput,
  ): Promise<ContributionModel> {
    return ContributionModel.from(
      await this.funds.recordContribution(principal, {
        ...input,
        fromAccountId: input.fromAccountId ?? null,
        contributorName: input.contributorName ?? null,
        pledgeId: input.pledgeId ?? null,
      }),
    );
  }

  @Query(() => StrikeFundModel, { description: 'A fund of an organisation you are a member of, with its figures.' })
  async strikeFund(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<StrikeFundModel> {
    const { fund, account } = await this.funds.fund(principal, requireUuid(id, 'id'));
    const balance = account.creditsPosted - account.debitsPosted;
    return StrikeFundModel.from(fund, { balance, available: balance - account.debitsPending });
  }

  @Query(() => [StrikeFundModel], { description: "An organisation's funds (its members)." })
  async strikeFunds(
    @CurrentPrincipal() principal: Principal,
    @Args('organizationId', { type: () => ID }) organizationId: string,
  ): Promise<StrikeFundModel[]> {
    const funds = await this.funds.funds(principal, requireUuid(organizationId, 'organizationId'));
    return funds.map((fund) => StrikeFundModel.from(fund));
  }

  @Query(() => [ContributionModel], { description: "A fund's contributions, newest first (TREASURER or ADMIN)." })
  async fundContributions(
    @CurrentPrincipal() principal: Principal,
    @Args('fundId', { type: () => ID }) fundId: string,
  ): Promise<ContributionModel[]> {
    return (await this.funds.contributions(principal, requireUuid(fundId, 'fundId'))).map((row) =>
      ContributionModel.from(row),
    );
  }

  @Query(() => FundReportModel, {
    description: "A fund's public report (anyone signed in): nobody named, no figure for fewer than five people.",
  })
  async fundReport(
    @CurrentPrincipal() principal: Principal,
    @Args('fundId', { type: () => ID }) fundId: string,
  ): Promise<FundReportModel> {
    return FundReportModel.from(await this.funds.report(principal, requireUuid(fundId, 'fundId')));
  }

  @Mutation(() => PledgeModel, {
    description:
      'Pledges an amount once or per period: from an account you may pay from (collected now, then each period), ' +
      'or from outside (TREASURER or ADMIN).',
  })
  async createPledge(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreatePledgeInput,
  ): Promise<PledgeModel> {
    const pledge = await this.pledgesService.pledge(principal, {
      ...input,
      fromAccountId: input.fromAccountId ?? null,
      contributorName: input.contributorName ?? null,
    });
    return PledgeModel.from(pledge, 0n);
  }

  @Mutation(() => PledgeModel, { description: 'Ends a pledge (its maker, or the fund’s TREASURER or ADMIN).' })
  async endPledge(@CurrentPrincipal() principal: Principal, @Args('input') input: PledgeIdInput): Promise<PledgeModel> {
    return PledgeModel.from(await this.pledgesService.end(principal, input.pledgeId), 0n);
  }

  @Query(() => [PledgeModel], {
    description: 'Pledged against received: every pledge (TREASURER or ADMIN) or your own.',
  })
  async fundPledges(
    @CurrentPrincipal() principal: Principal,
    @Args('fundId', { type: () => ID }) fundId: string,
  ): Promise<PledgeModel[]> {
    return (await this.pledgesService.pledges(principal, requireUuid(fundId, 'fundId'))).map((row) =>
      PledgeModel.from(row.pledge, row.received),
    );
  }

  // Strikes, picket shifts, stipend batches

  @Mutation(() => StrikeModel, { description: 'Opens a strike paid by a STRIKE fund, with its first stipend rules.' })
  async createStrike(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateStrikeInput,
  ): Promise<StrikeModel> {
    return StrikeModel.from(
      await this.strikesService.createStrike(principal, {
        ...input,
        endsOn: input.endsOn ?? null,
        rules: rulesOf(input.rules),
      }),
    );
  }

  @Mutation(() => StipendRulesModel, { description: 'A new version of the stipend rules, in force from next week.' })
  async changeStipendRules(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangeStipendRulesInput,
  ): Promise<StipendRulesModel> {
    return StipendRulesModel.from(
      await this.strikesService.changeStipendRules(principal, {
        strikeId: input.strikeId,
        rules: rulesOf(input.rules),
      }),
    );
  }

  @Mutation(() => StrikerModel, { description: 'Enrols a member in a strike (picket captain, TREASURER or ADMIN).' })
  async enrolStriker(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: EnrolStrikerInput,
  ): Promise<StrikerModel> {
    return StrikerModel.from(await this.strikesService.enrolStriker(principal, input));
  }

  @Mutation(() => PicketShiftModel, {
    description: 'Records a picket shift (picket captain); a correction is a new record naming the one corrected.',
  })
  async recordPicketShift(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RecordPicketShiftInput,
  ): Promise<PicketShiftModel> {
    return PicketShiftModel.from(
      await this.strikesService.recordShift(principal, { ...input, correctsId: input.correctsId ?? null }),
    );
  }

  @Mutation(() => StipendBatchModel, {
    description: "Computes a week's stipends as a preview, each line explained (TREASURER or ADMIN).",
  })
  async computeStipendBatch(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ComputeStipendBatchInput,
  ): Promise<StipendBatchModel> {
    const { batch, lines } = await this.strikesService.computeBatch(principal, input);
    return StipendBatchModel.from(batch, lines);
  }

  @Mutation(() => StipendBatchModel, {
    description:
      "Submits a previewed batch for the committee's N-of-M approval; the money is set aside until it is decided.",
  })
  async submitStipendBatch(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SubmitStipendBatchInput,
  ): Promise<StipendBatchModel> {
    return StipendBatchModel.from(await this.strikesService.submitBatch(principal, input));
  }

  @Query(() => StrikeModel, { description: 'A strike (members of the fund’s organisation).' })
  async strike(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<StrikeModel> {
    return StrikeModel.from((await this.strikesService.strike(principal, requireUuid(id, 'id'))).strike);
  }

  @Query(() => [StrikeModel], { description: "A fund's strikes (members)." })
  async strikes(
    @CurrentPrincipal() principal: Principal,
    @Args('fundId', { type: () => ID }) fundId: string,
  ): Promise<StrikeModel[]> {
    return (await this.strikesService.strikes(principal, requireUuid(fundId, 'fundId'))).map((row) =>
      StrikeModel.from(row),
    );
  }

  @Query(() => [StipendRulesModel], { description: "A strike's stipend rules, every version (members): public rules." })
  async stipendRules(
    @CurrentPrincipal() principal: Principal,
    @Args('strikeId', { type: () => ID }) strikeId: string,
  ): Promise<StipendRulesModel[]> {
    const id = requireUuid(strikeId, 'strikeId');
    await this.strikesService.strike(principal, id);
    return (await this.strikesService.rules(id)).map((rule) => StipendRulesModel.from(rule));
  }

  @Query(() => [StrikerModel], { description: "A strike's strikers (picket captain, TREASURER or ADMIN)." })
  async strikers(
    @CurrentPrincipal() principal: Principal,
    @Args('strikeId', { type: () => ID }) strikeId: string,
  ): Promise<StrikerModel[]> {
    return (await this.strikesService.strikers(principal, requireUuid(strikeId, 'strikeId'))).map((row) =>
      StrikerModel.from(row),
    );
  }

  @Query(() => [PicketShiftModel], {
    description: 'Picket shifts: your own, or (picket captain) a striker’s, newest day first.',
  })
  async picketShifts(
    @CurrentPrincipal() principal: Principal,
    @Args('strikeId', { type: () => ID }) strikeId: string,
    @Args('personId', { type: () => ID, nullable: true }) personId?: string | null,
  ): Promise<PicketShiftModel[]> {
    const shifts = await this.strikesService.shifts(
      principal,
      requireUuid(strikeId, 'strikeId'),
      personId === null || personId === undefined ? null : requireUuid(personId, 'personId'),
    );
    return shifts.map((shift) => PicketShiftModel.from(shift));
  }

  @Query(() => [StipendLineModel], { description: 'Your own stipends in a strike, submitted or paid, explained.' })
  async myStipends(
    @CurrentPrincipal() principal: Principal,
    @Args('strikeId', { type: () => ID }) strikeId: string,
  ): Promise<StipendLineModel[]> {
    return (await this.strikesService.myStipends(principal, requireUuid(strikeId, 'strikeId'))).map((line) =>
      StipendLineModel.from(line),
    );
  }

  @Query(() => StipendBatchModel, { description: 'A stipend batch with its lines (TREASURER, ADMIN or committee).' })
  async stipendBatch(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<StipendBatchModel> {
    const { batch, lines } = await this.strikesService.batch(principal, requireUuid(id, 'id'));
    return StipendBatchModel.from(batch, lines);
  }

  @Query(() => [StipendBatchModel], { description: "A strike's batches, newest week first (members)." })
  async stipendBatches(
    @CurrentPrincipal() principal: Principal,
    @Args('strikeId', { type: () => ID }) strikeId: string,
  ): Promise<StipendBatchModel[]> {
    return (await this.strikesService.batches(principal, requireUuid(strikeId, 'strikeId'))).map((batch) =>
      StipendBatchModel.from(batch),
    );
  }

  // Hardship draws

  @Mutation(() => HardshipDrawModel, {
    description:
      'Applies for a hardship draw (a member): caps checked at once, money set aside, the committee asked N of M.',
  })
  async applyForDraw(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ApplyForDrawInput,
  ): Promise<HardshipDrawModel> {
    const draw = await this.draws.apply(principal, { ...input, strikeId: input.strikeId ?? null });
    return HardshipDrawModel.from({ draw, applicantShown: true, refusals: [], requestVersion: 1 });
  }

  @Query(() => [HardshipDrawModel], {
    description: 'Draws in review by priority then age (committee, TREASURER, ADMIN); nameless if reviewed blind.',
  })
  async drawReviewQueue(
    @CurrentPrincipal() principal: Principal,
    @Args('fundId', { type: () => ID }) fundId: string,
  ): Promise<HardshipDrawModel[]> {
    return (await this.draws.queue(principal, requireUuid(fundId, 'fundId'))).map((view) =>
      HardshipDrawModel.from(view),
    );
  }

  @Query(() => [HardshipDrawModel], { description: 'Your own draws from a fund, with why any was refused.' })
  async myDraws(
    @CurrentPrincipal() principal: Principal,
    @Args('fundId', { type: () => ID }) fundId: string,
  ): Promise<HardshipDrawModel[]> {
    return (await this.draws.mine(principal, requireUuid(fundId, 'fundId'))).map((view) =>
      HardshipDrawModel.from(view),
    );
  }

  // Escrow

  @Mutation(() => EscrowDepositModel, {
    description:
      "Deposits a month's withheld rent in escrow: the tenant from their account, or the TREASURER from outside.",
  })
  async depositEscrow(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: DepositEscrowInput,
  ): Promise<EscrowDepositModel> {
    return EscrowDepositModel.from(await this.escrowService.deposit(principal, input));
  }

  @Query(() => [EscrowDepositModel], {
    description: 'Escrow deposits: your own, or (TREASURER or ADMIN) everyone’s or one tenant’s.',
  })
  async escrowDeposits(
    @CurrentPrincipal() principal: Principal,
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string | null,
  ): Promise<EscrowDepositModel[]> {
    const rows = await this.escrowService.deposits(
      principal,
      requireUuid(fundId, 'fundId'),
      tenantId === null || tenantId === undefined ? null : requireUuid(tenantId, 'tenantId'),
    );
    return rows.map((row) => EscrowDepositModel.from(row));
  }

  @Query(() => EscrowStandingModel, { description: 'What the escrow holds in total (members) and per tenant.' })
  async escrow(
    @CurrentPrincipal() principal: Principal,
    @Args('fundId', { type: () => ID }) fundId: string,
  ): Promise<EscrowStandingModel> {
    const { fund, holdings } = await this.escrowService.holdings(principal, requireUuid(fundId, 'fundId'));
    return Object.assign(new EscrowStandingModel(), {
      fundId: fund.id,
      totalHeld: await this.escrowService.totalHeld(fund.id),
      holdings: holdings.map((holding) => EscrowHoldingModel.from(holding)),
    });
  }

  @Query(() => [EscrowReleaseModel], { description: 'Releases of escrow decided by motions, with the breakdown.' })
  async escrowReleases(
    @CurrentPrincipal() principal: Principal,
    @Args('fundId', { type: () => ID }) fundId: string,
  ): Promise<EscrowReleaseModel[]> {
    const releases = await this.escrowService.releases(principal, requireUuid(fundId, 'fundId'));
    const models: EscrowReleaseModel[] = [];
    for (const release of releases)
      models.push(EscrowReleaseModel.from(release, await this.escrowService.shares(release.id)));
    return models;
  }
}

function rulesOf(input: StipendRulesInput): StipendRules {
  return {
    weeklyRate: input.weeklyRate,
    fullMinutes: input.fullMinutes,
    minimumMinutes: input.minimumMinutes,
    dependantSupplement: input.dependantSupplement,
    capPerStriker: input.capPerStriker ?? null,
    shortfall: input.shortfall,
  };
}
