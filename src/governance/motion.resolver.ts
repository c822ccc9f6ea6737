import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { requireStorableDate } from '../kernel/graphql/dates.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import { requireUuid } from '../kernel/ids.js';
import type { Principal } from '../kernel/principal.js';
import { GOVERNANCE_ERRORS } from './governance.errors.js';
import type { BallotChoice } from './governance.records.js';
import {
  BallotInput,
  CastBallotInput,
  ChangeSecretBallotInput,
  MotionIdInput,
  ProposeMotionInput,
} from './graphql/governance.inputs.js';
import {
  BallotModel,
  CastBallotPayloadModel,
  MotionModel,
  MotionVoterModel,
  MyBallotModel,
  OutcomeModel,
  RecountModel,
  TallyModel,
} from './graphql/governance.models.js';
import { DecisionRuleEnum } from './graphql/governance.enums.js';
import { MotionsService, type NewMotion } from './motions.service.js';
import { withoutVoters } from './rules/motion-tally.js';
import type { DecisionRule } from './rules/tally.js';

@Resolver(() => MotionModel)
export class MotionResolver {
  constructor(@Inject(MotionsService) private readonly motions: MotionsService) {}

  @Mutation(() => MotionModel, {
    description:
      'Proposes a motion to an assembly: it opens at `opensAt` (now when omitted) and closes at `closesAt` exactly.',
  })
  async proposeMotion(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ProposeMotionInput,
  ): Promise<MotionModel> {
    const motion = await this.motions.propose(principal, toNewMotion(input));
    return MotionModel.from(motion, await this.motions.viewFor(principal, motion));
  }

  @Mutation(() => MotionModel, { description: 'Withdraws a motion before it closes (its proposer or an ADMIN).' })
  async withdrawMotion(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: MotionIdInput,
  ): Promise<MotionModel> {
    const motion = await this.motions.withdraw(principal, input.motionId);
    return MotionModel.from(motion, await this.motions.viewFor(principal, motion));
  }

  @Mutation(() => CastBallotPayloadModel, {
    description:
      'Casts your ballot, or changes it where the motion allows. On a secret motion the answer carries a receipt, once.',
  })
  async castBallot(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CastBallotInput,
  ): Promise<CastBallotPayloadModel> {
    const result = await this.motions.cast(principal, {
      motionId: input.motionId,
      voterId: input.voterId ?? null,
      choice: toChoice(input.ballot),
      reason: input.reason,
    });
    return Object.assign(new CastBallotPayloadModel(), {
      motion: MotionModel.from(result.motion, await this.motions.viewFor(principal, result.motion)),
      ballot: result.ballot === null ? null : BallotModel.from(result.ballot),
      receipt: result.receipt,
    });
  }

  @Mutation(() => MotionModel, {
    description: 'Replaces your secret ballot, with the receipt you were given, where the motion allows changes.',
  })
  async changeSecretBallot(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangeSecretBallotInput,
  ): Promise<MotionModel> {
    const motion = await this.motions.changeSecretBallot(principal, {
      motionId: input.motionId,
      receipt: input.receipt,
      choice: toChoice(input.ballot),
      reason: input.reason,
    });
    return MotionModel.from(motion, await this.motions.viewFor(principal, motion));
  }

  @Query(() => MotionModel, { description: 'A motion you may see.' })
  async motion(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<MotionModel> {
    const { motion, view } = await this.motions.motion(principal, requireUuid(id, 'id'));
    return MotionModel.from(motion, view);
  }

  @Query(() => RecountModel, {
    description: 'Tallies a closed motion again from its stored ballots and says whether it matches its outcome.',
  })
  async recount(
    @CurrentPrincipal() principal: Principal,
    @Args('motionId', { type: () => ID }) motionId: string,
  ): Promise<RecountModel> {
    const recount = await this.motions.recount(principal, requireUuid(motionId, 'motionId'));
    return Object.assign(new RecountModel(), {
      motionId: recount.motionId,
      matches: recount.matches,
      tally: TallyModel.from(
        recount.passed,
        recount.view === 'MEMBER' ? { ...recount.tally } : withoutVoters(recount.tally),
      ),
    });
  }

  @ResolveField(() => [MotionVoterModel], {
    nullable: true,
    description: 'Who may vote, fixed when it opened, and whether each has voted (null until it opens).',
  })
  async voters(@Parent() motion: MotionModel): Promise<MotionVoterModel[] | null> {
    if (motion.record.status === 'SCHEDULED' || motion.view !== 'MEMBER') return null;
    const [voters, participants] = await Promise.all([
      this.motions.voters(motion.id),
      this.motions.participants(motion.record),
    ]);
    const voted = new Set(participants);
    return voters.map((voter) => MotionVoterModel.from(voter, voted.has(voter.voterId)));
  }

  @ResolveField(() => Int, { description: 'How many voters have cast a ballot.' })
  async participation(@Parent() motion: MotionModel): Promise<number> {
    return this.motions.countParticipants(motion.id);
  }

  @ResolveField(() => [BallotModel], {
    nullable: true,
    description: "Open ballots with their voters, for members, once results show; never a secret motion's.",
  })
  async ballots(@Parent() motion: MotionModel): Promise<BallotModel[] | null> {
    const ballots = await this.motions.ballots({ motion: motion.record, view: motion.view });
    return ballots === null ? null : ballots.map((ballot) => BallotModel.from(ballot));
  }

  @ResolveField(() => [MyBallotModel], { description: 'Your ballots on it (one per voter you cast for).' })
  async myBallots(@CurrentPrincipal() principal: Principal, @Parent() motion: MotionModel): Promise<MyBallotModel[]> {
    return (await this.motions.myBallots(principal, motion.record)).map((mine) =>
      Object.assign(new MyBallotModel(), {
        voterId: mine.voterId,
        cast: mine.cast,
        ballot: mine.ballot === null ? null : BallotModel.from(mine.ballot),
      }),
    );
  }

  @ResolveField(() => TallyModel, {
    nullable: true,
    description: 'The running tally while it is open, unless its results are hidden until it closes.',
  })
  async liveTally(@Parent() motion: MotionModel): Promise<TallyModel | null> {
    const tally = await this.motions.liveTally({ motion: motion.record, view: motion.view });
    if (tally === null) return null;
    return TallyModel.from(tally.passed, motion.view === 'MEMBER' ? { ...tally.detail } : withoutVoters(tally.detail));
  }

  @ResolveField(() => OutcomeModel, { nullable: true, description: 'How it was decided, once closed.' })
  async outcome(@Parent() motion: MotionModel): Promise<OutcomeModel | null> {
    const outcome = await this.motions.outcome(motion.id);
    if (outcome === null) return null;
    return OutcomeModel.from(motion.view === 'MEMBER' ? outcome : { ...outcome, tally: withoutVoters(outcome.tally) });
  }
}

function toNewMotion(input: ProposeMotionInput): NewMotion {
  const fraction = (value: { numerator: number; denominator: number }) => ({
    numerator: BigInt(value.numerator),
    denominator: BigInt(value.denominator),
  });
  const supermajority = input.supermajority ?? null;
  if ((input.rule === DecisionRuleEnum.SUPERMAJORITY) !== (supermajority !== null)) {
    const problem = 'a SUPERMAJORITY motion gives its fraction (supermajority), and only it';
    throw new DomainError(GOVERNANCE_ERRORS.INVALID_MOTION, `The motion is not well formed: ${problem}`, { problem });
  }
  const rule: DecisionRule =
    supermajority === null
      ? ({ kind: input.rule } as DecisionRule)
      : { kind: 'SUPERMAJORITY', ...fraction(supermajority) };
  const budget = input.budget ?? null;
  return {
    id: input.id,
    assemblyId: input.assemblyId,
    title: input.title,
    body: input.body,
    ballotKind: input.ballotKind,
    rule,
    quorum: input.quorum === null || input.quorum === undefined ? null : fraction(input.quorum),
    options: input.options,
    budget:
      budget === null
        ? null
        : {
            unitCode: budget.unitCode,
            fundAccountId: budget.fundAccountId,
            amount: budget.amount,
            method: budget.method,
            proposals: budget.proposals.map((proposal) => ({ ...proposal })),
          },
    effect:
      input.effect === null || input.effect === undefined
        ? null
        : { kind: input.effect.kind, params: input.effect.params },
    secret: input.secret,
    resultsHidden: input.resultsHidden,
    changeable: input.changeable,
    earlyClose: input.earlyClose,
    opensAt:
      input.opensAt === null || input.opensAt === undefined ? null : requireStorableDate(input.opensAt, 'opensAt'),
    closesAt: requireStorableDate(input.closesAt, 'closesAt'),
  };
}

/** A ballot gives exactly one of a choice, a ranking or approvals. */
function toChoice(ballot: BallotInput): BallotChoice {
  const given = [ballot.choice, ballot.ranking, ballot.approved].filter((part) => part !== null && part !== undefined);
  if (given.length !== 1) {
    const problem = 'a ballot gives exactly one of choice, ranking and approved';
    throw new DomainError(GOVERNANCE_ERRORS.INVALID_BALLOT, `The ballot does not fit the motion: ${problem}`, {
      problem,
    });
  }
  if (ballot.choice !== null && ballot.choice !== undefined) return { kind: 'YES_NO', choice: ballot.choice };
  if (ballot.ranking !== null && ballot.ranking !== undefined) return { kind: 'RANKED', ranking: ballot.ranking };
  return { kind: 'APPROVAL', approved: ballot.approved ?? [] };
}
