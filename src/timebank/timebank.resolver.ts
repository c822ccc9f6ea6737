import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { toConnection } from '../kernel/graphql/connection.js';
import { decodePositionCursor, positionKey } from '../kernel/graphql/cursor.js';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import type { Principal } from '../kernel/principal.js';
import { ExchangesService } from './exchanges.service.js';
import {
  ChangeTimeBankSettingsInput,
  JoinTimeBankInput,
  ListingIdInput,
  ListingsArgs,
  LogCommunityWorkInput,
  LogTimeInput,
  MemberStatementArgs,
  PublishListingInput,
  ResolveTimeLogInput,
  SetUpTimeBankInput,
  TimeBankSettingsInput,
  TimeLogIdInput,
  TimeLogReasonInput,
  TimeLogsArgs,
  UpdateListingInput,
} from './graphql/timebank.inputs.js';
import {
  BankMonthModel,
  BankStatementModel,
  ListingConnectionModel,
  ListingModel,
  MemberStatementModel,
  TimeBankMemberModel,
  TimeBankModel,
  TimeBankSettingsChangeModel,
  TimeLogConnectionModel,
  TimeLogModel,
  TimeLogStepModel,
} from './graphql/timebank.models.js';
import type { SettingsChange } from './rules/settings.js';
import { bankStatementCsv, memberStatementCsv, StatementsService } from './statements.service.js';
import { TimebankService } from './timebank.service.js';

function settingsChangeOf(input: TimeBankSettingsInput | null | undefined): SettingsChange {
  const change: { -readonly [K in keyof SettingsChange]: SettingsChange[K] } = {};
  if (input === null || input === undefined) return change;
  if (input.autoConfirmMinutes !== null && input.autoConfirmMinutes !== undefined) {
    change.autoConfirmMinutes = input.autoConfirmMinutes;
  }
  if (input.maxMinutesPerLog !== null && input.maxMinutesPerLog !== undefined) {
    change.maxMinutesPerLog = input.maxMinutesPerLog;
  }
  if (input.defaultCreditMinutes !== null && input.defaultCreditMinutes !== undefined) {
    change.defaultCreditMinutes = input.defaultCreditMinutes;
  }
  if (input.bankCreditMinutes !== null && input.bankCreditMinutes !== undefined) {
    change.bankCreditMinutes = input.bankCreditMinutes;
  }
  if (input.federationExchanges !== null && input.federationExchanges !== undefined) {
    change.federationExchanges = input.federationExchanges;
  }
  if (input.statementVisibility !== null && input.statementVisibility !== undefined) {
    change.statementVisibility = input.statementVisibility;
  }
  if (input.categories !== null && input.categories !== undefined) change.categories = input.categories;
  return change;
}

@Resolver(() => TimeBankModel)
export class TimeBankResolver {
  constructor(
    @Inject(TimebankService) private readonly banks: TimebankService,
    @Inject(StatementsService) private readonly statements: StatementsService,
  ) {}

  @Mutation(() => TimeBankModel, {
    description:
      'Sets up a time bank for an organisation of kind TIME_BANK (its ADMIN): its HOURS unit, its own account ' +
      'and its settings. Setting it up again with the same unit returns it.',
  })
  async setUpTimeBank(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SetUpTimeBankInput,
  ): Promise<TimeBankModel> {
    return TimeBankModel.from(
      await this.banks.setUp(principal, {
        organizationId: input.organizationId,
        unitCode: input.unitCode,
        unitName: input.unitName,
        settings: settingsChangeOf(input.settings),
      }),
    );
  }

  @Mutation(() => TimeBankModel, {
    description: "Changes the bank's settings (a COORDINATOR or ADMIN); the change and its reason are kept.",
  })
  async changeTimeBankSettings(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangeTimeBankSettingsInput,
  ): Promise<TimeBankModel> {
    return TimeBankModel.from(
      await this.banks.changeSettings(principal, {
        timeBankId: input.timeBankId,
        change: settingsChangeOf(input.settings),
        reason: input.reason,
      }),
    );
  }

  @Mutation(() => TimeBankMemberModel, {
    description: "Joins the bank (a member of the organisation): opens your hours account with the bank's credit line.",
  })
  async joinTimeBank(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: JoinTimeBankInput,
  ): Promise<TimeBankMemberModel> {
    return TimeBankMemberModel.from(
      await this.banks.join(principal, { timeBankId: input.timeBankId, personId: input.personId ?? null }),
    );
  }

  @Query(() => TimeBankModel, { description: 'A time bank, by its organisation’s id.' })
  async timeBank(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<TimeBankModel> {
    return TimeBankModel.from(await this.banks.bank(principal, id));
  }

  @ResolveField(() => [TimeBankSettingsChangeModel], { description: 'Every change of the settings, newest first.' })
  async settingsHistory(
    @CurrentPrincipal() principal: Principal,
    @Parent() bank: TimeBankModel,
  ): Promise<TimeBankSettingsChangeModel[]> {
    return (await this.banks.settingsHistory(principal, bank.id)).map((change) =>
      TimeBankSettingsChangeModel.from(change),
    );
  }

  @ResolveField(() => [TimeBankMemberModel], { description: 'Who has joined, with their hours accounts (members).' })
  async members(
    @CurrentPrincipal() principal: Principal,
    @Parent() bank: TimeBankModel,
  ): Promise<TimeBankMemberModel[]> {
    return (await this.banks.members(principal, bank.id)).map((member) => TimeBankMemberModel.from(member));
  }

  @Query(() => MemberStatementModel, {
    description:
      "A member's hours per month, balance and pending minutes, with CSV: yours, or (coordinators, or every " +
      'member where the bank shares statements) another member’s.',
  })
  async memberStatement(
    @CurrentPrincipal() principal: Principal,
    @Args() args: MemberStatementArgs,
  ): Promise<MemberStatementModel> {
    const statement = await this.statements.memberStatement(principal, {
      timeBankId: args.timeBankId,
      personId: args.personId ?? null,
    });
    return MemberStatementModel.from(statement, memberStatementCsv(statement));
  }

  @Query(() => BankStatementModel, { description: "The bank's totals per month, with CSV (coordinators)." })
  async bankStatement(
    @CurrentPrincipal() principal: Principal,
    @Args('timeBankId', { type: () => ID }) timeBankId: string,
  ): Promise<BankStatementModel> {
    const months = await this.statements.bankStatement(principal, timeBankId);
    return Object.assign(new BankStatementModel(), {
      timeBankId,
      months: months.map((month) => BankMonthModel.from(month)),
      csv: bankStatementCsv(months),
    });
  }
}

@Resolver(() => ListingModel)
export class ListingResolver {
  constructor(@Inject(TimebankService) private readonly banks: TimebankService) {}

  @Mutation(() => ListingModel, { description: 'Publishes an offer or a request (a member of the bank).' })
  async publishListing(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: PublishListingInput,
  ): Promise<ListingModel> {
    return ListingModel.from(
      await this.banks.publishListing(principal, {
        ...input,
        estimatedMinutes: input.estimatedMinutes ?? null,
      }),
    );
  }

  @Mutation(() => ListingModel, { description: 'Edits an offer or a request (its author or a coordinator).' })
  async updateListing(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateListingInput,
  ): Promise<ListingModel> {
    return ListingModel.from(
      await this.banks.updateListing(principal, {
        listingId: input.listingId,
        title: input.title ?? null,
        description: input.description ?? null,
        category: input.category ?? null,
        estimatedMinutes: input.estimatedMinutes ?? null,
        availability: input.availability ?? null,
      }),
    );
  }

  @Mutation(() => ListingModel, { description: 'Withdraws an offer or a request (its author or a coordinator).' })
  async withdrawListing(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ListingIdInput,
  ): Promise<ListingModel> {
    return ListingModel.from(await this.banks.withdrawListing(principal, input.listingId));
  }

  @Query(() => ListingModel)
  async listing(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ListingModel> {
    return ListingModel.from(await this.banks.listing(principal, id));
  }

  @Query(() => ListingConnectionModel, {
    description: "The bank's active offers and requests, newest first: by words, category, kind or author.",
  })
  async listings(
    @CurrentPrincipal() principal: Principal,
    @Args() args: ListingsArgs,
  ): Promise<ListingConnectionModel> {
    const rows = await this.banks.listings(principal, {
      timeBankId: args.timeBankId,
      search: args.search ?? null,
      category: args.category ?? null,
      kind: args.kind ?? null,
      authorId: args.authorId ?? null,
      after: decodePositionCursor('listing', args.after),
      limit: args.first + 1,
    });
    return toConnection(rows, args.first, 'listing', positionKey, (row) => ListingModel.from(row));
  }
}

@Resolver(() => TimeLogModel)
export class TimeLogResolver {
  constructor(@Inject(ExchangesService) private readonly exchanges: ExchangesService) {}

  @Mutation(() => TimeLogModel, {
    description:
      'Logs hours you gave (the receiver’s account is held for them at once) or received; the other side is ' +
      'told, and confirms or disputes. Unanswered, it confirms itself after the bank’s delay.',
  })
  async logTime(@CurrentPrincipal() principal: Principal, @Args('input') input: LogTimeInput): Promise<TimeLogModel> {
    return TimeLogModel.from(
      await this.exchanges.log(principal, {
        ...input,
        counterpartyBankId: input.counterpartyBankId ?? null,
        listingId: input.listingId ?? null,
      }),
    );
  }

  @Mutation(() => TimeLogModel, {
    description: "Pays a member from the bank's own account for community work (a COORDINATOR or ADMIN).",
  })
  async logCommunityWork(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: LogCommunityWorkInput,
  ): Promise<TimeLogModel> {
    return TimeLogModel.from(await this.exchanges.logCommunityWork(principal, input));
  }

  @Mutation(() => TimeLogModel, {
    description: 'Confirms a log waiting for your answer: the hours move. Confirming again changes nothing.',
  })
  async confirmTimeLog(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: TimeLogIdInput,
  ): Promise<TimeLogModel> {
    return TimeLogModel.from(await this.exchanges.confirm(principal, input.timeLogId));
  }

  @Mutation(() => TimeLogModel, {
    description: "Disputes a log waiting for your answer, saying why: it goes to the bank's coordinators.",
  })
  async disputeTimeLog(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: TimeLogReasonInput,
  ): Promise<TimeLogModel> {
    return TimeLogModel.from(await this.exchanges.dispute(principal, input.timeLogId, input.reason));
  }

  @Mutation(() => TimeLogModel, { description: 'Withdraws a log you made, while it waits for an answer.' })
  async withdrawTimeLog(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: TimeLogIdInput,
  ): Promise<TimeLogModel> {
    return TimeLogModel.from(await this.exchanges.withdraw(principal, input.timeLogId));
  }

  @Mutation(() => TimeLogModel, {
    description: 'Resolves a disputed log (a coordinator): confirms it, with fewer minutes if need be, or cancels it.',
  })
  async resolveTimeLog(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ResolveTimeLogInput,
  ): Promise<TimeLogModel> {
    return TimeLogModel.from(
      await this.exchanges.resolve(principal, {
        exchangeId: input.timeLogId,
        outcome: input.outcome,
        minutes: input.minutes ?? null,
        reason: input.reason,
      }),
    );
  }

  @Mutation(() => TimeLogModel, {
    description:
      'Corrects a confirmed log (a coordinator), saying why: new transactions reverse it; nothing is edited.',
  })
  async correctTimeLog(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: TimeLogReasonInput,
  ): Promise<TimeLogModel> {
    return TimeLogModel.from(await this.exchanges.reverse(principal, input.timeLogId, input.reason));
  }

  @Query(() => TimeLogModel, { description: 'A time log: its two sides and the coordinators see it.' })
  async timeLog(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<TimeLogModel> {
    return TimeLogModel.from(await this.exchanges.exchange(principal, id));
  }

  @Query(() => TimeLogConnectionModel, {
    description: 'Time logs of a bank, newest first: yours (or, for coordinators, everyone’s), or what awaits you.',
  })
  async timeLogs(
    @CurrentPrincipal() principal: Principal,
    @Args() args: TimeLogsArgs,
  ): Promise<TimeLogConnectionModel> {
    const rows = await this.exchanges.exchanges(principal, {
      timeBankId: args.timeBankId,
      memberId: args.memberId ?? null,
      statuses: args.statuses ?? null,
      awaitingMe: args.awaitingMe,
      after: decodePositionCursor('time-log', args.after),
      limit: args.first + 1,
    });
    return toConnection(rows, args.first, 'time-log', positionKey, (row) => TimeLogModel.from(row));
  }

  @ResolveField(() => [TimeLogStepModel], { description: 'Every step, oldest first: who, what and why.' })
  async steps(@CurrentPrincipal() principal: Principal, @Parent() log: TimeLogModel): Promise<TimeLogStepModel[]> {
    return (await this.exchanges.steps(principal, [log.id])).map((step) => TimeLogStepModel.from(step));
  }

  @ResolveField(() => Boolean, { description: 'Whether it waits for your answer.' })
  awaitingMyAnswer(@CurrentPrincipal() principal: Principal, @Parent() log: TimeLogModel): boolean {
    return principal.kind === 'PERSON' && this.exchanges.awaitsAnswerFrom(log, principal.personId);
  }
}
