import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { ClearingService } from '../trade/clearing.service.js';
import { InvoicesService } from '../trade/invoices.service.js';
import { demoId } from './demo-data.js';
import type { DemoWorld } from './demo-world.js';

const DAY_MS = 86_400_000;

/**
 * Co-op trade in the demo: the bakery, the bike co-op and the time bank invoice each other in CWC. The bike
 * co-op pays the bakery's small invoices automatically (up to 50 CWC) and has paid part of the month's
 * bread; the repair, the catering and the maintenance course are accepted and unpaid, so their debts run in
 * a circle (the bike co-op owes the time bank, the time bank owes the bakery, the bakery owes the bike
 * co-op), besides the bakery and the bike co-op owing each other. The federation's steward (rosa) has
 * previewed a clearing round over them; the bakery has consented, the others have not answered yet. One
 * invoice to the time bank, never accepted, is overdue.
 */
@Injectable()
export class TradeDemo {
  constructor(
    @Inject(InvoicesService) private readonly invoices: InvoicesService,
    @Inject(ClearingService) private readonly clearing: ClearingService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(world: DemoWorld): Promise<void> {
    const now = this.clock.now().getTime();
    const on = (days: number) => new Date(now + days * DAY_MS).toISOString().slice(0, 10);
    const bakery = world.organizationId('bread-and-roses-bakery');
    const bikes = world.organizationId('spoke-and-chain-bikes');
    const timeBank = world.organizationId('riverside-time-bank');
    const federation = world.organizationId('commonwealth-federation');
    const accounts = {
      bakery: demoId('account:bakery'),
      bikes: demoId('account:bikes'),
      timeBank: (
        await this.accounts.openAccount(await world.as('rosa'), {
          id: demoId('account:timebank-trade'),
          unitCode: 'CWC',
          holderId: timeBank,
          name: 'Riverside Time Bank (trade)',
          kind: 'MEMBER',
          creditLimit: 200_000n,
          upperLimit: null,
        })
      ).id,
    };
    const issue = async (
      key: string,
      issuer: { person: string; id: string; account: string },
      payerId: string,
      reference: string,
      lines: { description: string; quantity: string; unitPrice: bigint }[],
      dueInDays: number,
    ) =>
      this.invoices.issue(await world.as(issuer.person), {
        id: demoId(`invoice:${key}`),
        issuerId: issuer.id,
        payerId,
        unitCode: 'CWC',
        creditAccountId: issuer.account,
        lines,
        dueOn: on(dueInDays),
        reference,
        notes: '',
      });
    const lucia = { person: 'lucia', id: bakery, account: accounts.bakery };
    const sam = { person: 'sam', id: bikes, account: accounts.bikes };
    const jonas = { person: 'jonas', id: timeBank, account: accounts.timeBank };

    await this.invoices.setAutomaticPayment(await world.as('sam'), {
      payerId: bikes,
      issuerId: bakery,
      unitCode: 'CWC',
      fromAccountId: accounts.bikes,
      maxAmount: 5_000n,
    });
    await issue(
      'coffee',
      lucia,
      bikes,
      'BR-2026-031',
      [{ description: 'Coffee beans, kg', quantity: '2', unitPrice: 1_200n }],
      14,
    );

    const bread = await issue(
      'bread-month',
      lucia,
      bikes,
      'BR-2026-030',
      [
        { description: 'Sourdough loaves', quantity: '30', unitPrice: 450n },
        { description: 'Rye rolls (dozen)', quantity: '4.5', unitPrice: 380n },
      ],
      21,
    );
    await this.invoices.accept(await world.as('sam'), bread.id);
    await this.invoices.pay(await world.as('sam'), {
      invoiceId: bread.id,
      paymentId: demoId('payment:bread-month-1'),
      fromAccountId: accounts.bikes,
      amount: 5_000n,
    });

    const repair = await issue(
      'repair',
      sam,
      bakery,
      'SC-114',
      [
        { description: 'Cargo bike: new drivetrain', quantity: '1', unitPrice: 12_000n },
        { description: 'Labour, hours', quantity: '3', unitPrice: 2_000n },
      ],
      30,
    );
    await this.invoices.accept(await world.as('lucia'), repair.id);

    const catering = await issue(
      'catering',
      lucia,
      timeBank,
      'BR-2026-032',
      [{ description: 'Catering for the skill share, guests', quantity: '30', unitPrice: 300n }],
      30,
    );
    await this.invoices.accept(await world.as('jonas'), catering.id);

    const course = await issue(
      'course',
      jonas,
      bikes,
      'RTB-7',
      [{ description: 'Bike maintenance course, hours', quantity: '6', unitPrice: 1_000n }],
      30,
    );
    await this.invoices.accept(await world.as('sam'), course.id);

    await issue(
      'open-day',
      lucia,
      timeBank,
      'BR-2026-029',
      [{ description: 'Bread for the open day', quantity: '1', unitPrice: 2_500n }],
      -3,
    );

    const round = await this.clearing.preview(await world.as('rosa'), {
      id: demoId('clearing-round:first'),
      federationId: federation,
      unitCode: 'CWC',
    });
    await this.clearing.decideConsent(await world.as('lucia'), {
      roundId: round.round.id,
      organizationId: bakery,
      consent: true,
    });
  }
}
