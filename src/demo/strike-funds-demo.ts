import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { DrawsService } from '../strike-funds/draws.service.js';
import { FundsService } from '../strike-funds/funds.service.js';
import { StrikesService } from '../strike-funds/strikes.service.js';
import { demoId } from './demo-data.js';
import type { DemoWorld } from './demo-world.js';

const DAY_MS = 86_400_000;

/**
 * The strike funds in the demo: the Riverside Strike Fund opens a warehouse strike fund in euros whose
 * committee (Amara, Jonas, Lucia: two of three approve, blind review) decides draws and stipend batches;
 * the tenants' union's contribution comes in from the fund's bank account; a strike began two weeks ago
 * with its stipend rules; Wei and Dana picketed last week; last week's batch is computed and waits for the
 * committee; Wei's hardship draw for rent (an eviction notice) is in review.
 */
@Injectable()
export class StrikeFundsDemo {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(FundsService) private readonly funds: FundsService,
    @Inject(StrikesService) private readonly strikes: StrikesService,
    @Inject(DrawsService) private readonly draws: DrawsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(world: DemoWorld): Promise<void> {
    const unionId = world.organizationId('riverside-strike-fund');
    const committee = ['amara', 'jonas', 'lucia'];
    const dana = await world.as('dana');
    await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      for (const key of committee) {
        await this.organizations.addMember(manager, dana, {
          organizationId: unionId,
          personId: world.personId(key),
          roles: ['MEMBER'],
        });
      }
    });
    const treasurer = await world.as('dana');
    const fund = await this.funds.createFund(treasurer, {
      id: demoId('strike-fund:warehouse'),
      organizationId: unionId,
      name: 'Warehouse strike fund',
      purpose: 'STRIKE',
      unitCode: 'EUR',
      committee: committee.map((key) => world.personId(key)),
      required: 2,
      blindReview: true,
      reviewDays: 7,
      drawCapPerYear: 100_000n,
      membersSeeDetail: true,
      outsideLimit: 0n,
    });
    await this.funds.recordContribution(treasurer, {
      id: demoId('contribution:tenants-union'),
      fundId: fund.id,
      amount: 500_000n,
      source: 'LEDGER',
      fromAccountId: demoId('account:strike-bank'),
      contributorName: "Riverside tenants' union",
      visibility: 'NAMED',
      memo: 'Solidarity from the tenants',
      pledgeId: null,
    });
    const accounts = new Map<string, string>();
    for (const key of ['wei', 'dana']) {
      const account = await this.accounts.openAccount(await world.as(key), {
        id: demoId(`account:strike-pay-${key}`),
        unitCode: 'EUR',
        holderId: world.personId(key),
        name: 'Strike pay',
        kind: 'MEMBER',
        creditLimit: 0n,
        upperLimit: null,
      });
      accounts.set(key, account.id);
    }
    const today = new Date(this.clock.now().getTime());
    const thisMonday = mondayOf(today);
    const lastMonday = addDays(thisMonday, -7);
    const strike = await this.strikes.createStrike(treasurer, {
      id: demoId('strike:warehouse'),
      fundId: fund.id,
      name: 'Riverside warehouse strike',
      startsOn: addDays(thisMonday, -14),
      endsOn: null,
      drawCapPerStriker: 30_000n,
      rules: {
        weeklyRate: 30_000n,
        fullMinutes: 20 * 60,
        minimumMinutes: 10 * 60,
        dependantSupplement: 2_500n,
        capPerStriker: 300_000n,
        shortfall: 'PRO_RATA',
      },
    });
    const strikers: [string, number, number[]][] = [
      ['wei', 2, [300, 300, 240, 360]],
      ['dana', 0, [240, 240, 300]],
    ];
    for (const [key, dependants, shifts] of strikers) {
      await this.strikes.enrolStriker(treasurer, {
        strikeId: strike.id,
        personId: world.personId(key),
        accountId: accounts.get(key) ?? '',
        dependants,
      });
      for (const [index, minutes] of shifts.entries()) {
        await this.strikes.recordShift(treasurer, {
          id: demoId(`shift:${key}:${index}`),
          strikeId: strike.id,
          personId: world.personId(key),
          day: addDays(lastMonday, index),
          minutes,
          correctsId: null,
          note: 'Gate B, morning',
        });
      }
    }
    const { batch } = await this.strikes.computeBatch(treasurer, {
      id: demoId('stipend-batch:week-2'),
      strikeId: strike.id,
      weekStart: lastMonday,
    });
    await this.strikes.submitBatch(treasurer, { batchId: batch.id, requestId: demoId('approval:stipends-week-2') });
    await this.draws.apply(await world.as('wei'), {
      id: demoId('draw:wei-rent'),
      fundId: fund.id,
      strikeId: strike.id,
      accountId: accounts.get('wei') ?? '',
      amount: 20_000n,
      category: 'RENT',
      dependants: 2,
      evictionNotice: true,
      shutOffNotice: false,
      statement: 'Rent is due on the 1st; the landlord sent a notice.',
    });
  }
}

function mondayOf(instant: Date): string {
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
