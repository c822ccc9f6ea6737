import { Inject, Injectable } from '@nestjs/common';
import { AccountsService } from '../ledger/accounts.service.js';
import { LandTrustsService } from '../land-trusts/land-trusts.service.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { demoId } from './demo-data.js';
import type { DemoWorld } from './demo-world.js';

/** The homes of the demo land trust and who leases them, from how many months ago, and what they pay. */
const HOMES: readonly {
  readonly key: string;
  readonly name: string;
  readonly address: string;
  readonly leaseholder: string;
  readonly feeCents: bigint;
  /** Months of charges each household has paid (received from outside, on the 3rd of each month). */
  readonly monthsPaid: number;
}[] = [
  {
    key: 'elm-1',
    name: 'Elm Row 1',
    address: '1 Elm Row, Hillside',
    leaseholder: 'ortiz',
    feeCents: 25_000n,
    monthsPaid: 2,
  },
  {
    key: 'elm-3',
    name: 'Elm Row 3',
    address: '3 Elm Row, Hillside',
    leaseholder: 'jonas',
    feeCents: 25_000n,
    monthsPaid: 6,
  },
  {
    key: 'mill-12',
    name: 'Mill Lane 12',
    address: '12 Mill Lane, Hillside',
    leaseholder: 'lucia',
    feeCents: 30_000n,
    monthsPaid: 5,
  },
];
const MONTHS = 6;

/**
 * The land trust in the demo: Hillside CLT keeps its ground-lease books in its own unit (HLT, euros of the
 * trust), with three homes leased from six months ago (fee due on the 1st, 10% to the stewardship reserve),
 * six months of charges posted as the scheduler posts them, payments received by Kwame (the steward), a
 * hardship waiver for one month of Lucia's, and the Ortiz household three months behind: the arrears report
 * shows it aged 60 and 90+ days.
 */
@Injectable()
export class LandTrustsDemo {
  constructor(
    @Inject(LandTrustsService) private readonly landTrusts: LandTrustsService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(world: DemoWorld): Promise<void> {
    const kwame = await world.as('kwame');
    const organizationId = world.organizationId('hillside-land-trust');
    await this.accounts.createUnit(kwame, {
      code: 'HLT',
      name: 'Hillside ground-lease euro',
      kind: 'CURRENCY',
      scale: 2,
      issuerId: organizationId,
    });
    const trust = await this.landTrusts.createLandTrust(kwame, {
      id: demoId('land-trust:hillside'),
      organizationId,
      name: 'Hillside Community Land Trust',
      unitCode: 'HLT',
      resaleFormula: { kind: 'APPRECIATION_SHARE', sharePoints: 2500, indexes: null },
    });
    const now = this.clock.now();
    const month = (offset: number): string =>
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
    const leases = new Map<string, string>();
    for (const home of HOMES) {
      const parcelId = demoId(`land-parcel:${home.key}`);
      await this.landTrusts.addParcel(kwame, {
        id: parcelId,
        trustId: trust.id,
        name: home.name,
        description: home.address,
        homeDescription: 'Two-bedroom house, bought with the trust in 2016',
        purchasePriceMinor: 14_500_000n,
        purchasedOn: '2016-04-01',
      });
      const lease = await this.landTrusts.signLease(kwame, {
        id: demoId(`ground-lease:${home.key}`),
        parcelId,
        leaseholderId: world.personId(home.leaseholder),
        startsOn: `${month(-(MONTHS - 1))}-01`,
        endsOn: null,
        dueDay: 1,
        feeMinor: home.feeCents,
        reserveSharePoints: 1000,
      });
      leases.set(home.key, lease.id);
    }
    await this.landTrusts.postChargesUpTo(trust.id, `${month(0)}-01`);
    for (const home of HOMES) {
      const leaseId = leases.get(home.key) ?? '';
      for (let paid = 0; paid < home.monthsPaid; paid += 1) {
        const receivedOn = `${month(-(MONTHS - 1) + paid)}-03`;
        if (receivedOn > now.toISOString().slice(0, 10)) break;
        await this.landTrusts.recordPayment(kwame, {
          id: demoId(`lease-payment:${home.key}:${paid}`),
          leaseId,
          amountMinor: home.feeCents,
          receivedOn,
          memo: 'Standing order',
          fromAccountId: null,
        });
      }
    }
    const lucia = await this.landTrusts.statement(kwame, leases.get('mill-12') ?? '', null);
    const unpaid = lucia.charges.find((line) => line.outstandingMinor > 0n);
    if (unpaid !== undefined) {
      await this.landTrusts.relieveCharge(kwame, {
        id: demoId('lease-relief:mill-12'),
        chargeId: unpaid.charge.id,
        kind: 'WAIVE',
        amountMinor: null,
        reason: 'Hardship: roof repair after the March storm, agreed by the stewards',
      });
    }
  }
}
