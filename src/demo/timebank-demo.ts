import { Inject, Injectable } from '@nestjs/common';
import { ExchangesService } from '../timebank/exchanges.service.js';
import { TimebankService } from '../timebank/timebank.service.js';
import { demoId } from './demo-data.js';
import type { DemoWorld } from './demo-world.js';

/**
 * The time bank in the demo: Riverside's bank set up on its HOUR unit (confirmations wait a week), its three
 * members joined, offers and requests in the catalogue, and exchanges in every state a coordinator meets on a
 * Sunday evening: confirmed, waiting for an answer, disputed, and community work paid by the bank.
 */
@Injectable()
export class TimebankDemo {
  constructor(
    @Inject(TimebankService) private readonly banks: TimebankService,
    @Inject(ExchangesService) private readonly exchanges: ExchangesService,
  ) {}

  async load(world: DemoWorld): Promise<void> {
    const bankId = world.organizationId('riverside-time-bank');
    await this.banks.setUp(await world.as('jonas'), {
      organizationId: bankId,
      unitCode: 'HOUR',
      unitName: 'Time-bank hour (counted in minutes)',
      settings: {
        autoConfirmMinutes: 7 * 24 * 60,
        categories: ['Care', 'Home and garden', 'Learning', 'Repairs', 'Transport', 'Other'],
      },
    });
    for (const member of ['jonas', 'amara', 'wei']) {
      await this.banks.join(await world.as(member), { timeBankId: bankId, personId: null });
    }
    const listings = [
      { key: 'amara-bikes', by: 'amara', kind: 'OFFER', title: 'Bicycle repairs', category: 'Repairs', minutes: 60 },
      { key: 'wei-tax', by: 'wei', kind: 'REQUEST', title: 'Help with tax forms', category: 'Learning', minutes: 90 },
      {
        key: 'jonas-cooking',
        by: 'jonas',
        kind: 'OFFER',
        title: 'Cooking lessons',
        category: 'Learning',
        minutes: 120,
      },
      {
        key: 'wei-lifts',
        by: 'wei',
        kind: 'OFFER',
        title: 'Lifts to the hospital',
        category: 'Transport',
        minutes: 60,
      },
    ] as const;
    for (const listing of listings) {
      await this.banks.publishListing(await world.as(listing.by), {
        id: demoId(`listing:${listing.key}`),
        timeBankId: bankId,
        kind: listing.kind,
        title: listing.title,
        description: '',
        category: listing.category,
        estimatedMinutes: listing.minutes,
        availability: 'Weekday evenings',
      });
    }
    const log = async (key: string, by: string, counterparty: string, minutes: number, description: string) =>
      this.exchanges.log(await world.as(by), {
        id: demoId(`time-log:${key}`),
        timeBankId: bankId,
        side: 'GAVE',
        counterpartyId: world.personId(counterparty),
        counterpartyBankId: null,
        minutes,
        description,
        listingId: null,
      });
    const repaired = await log('amara-fixes-wei-bike', 'amara', 'wei', 60, 'Fixed the brakes of Wei’s bicycle');
    await this.exchanges.confirm(await world.as('wei'), repaired.id);
    await log('wei-drives-jonas', 'wei', 'jonas', 90, 'Lift to the hospital and back');
    const lesson = await log('jonas-teaches-amara', 'jonas', 'amara', 180, 'Cooking lesson');
    await this.exchanges.dispute(await world.as('amara'), lesson.id, 'The lesson was two hours, not three');
    await this.exchanges.logCommunityWork(await world.as('jonas'), {
      id: demoId('time-log:amara-newsletter'),
      timeBankId: bankId,
      memberId: world.personId('amara'),
      minutes: 120,
      description: 'Wrote the spring newsletter',
    });
  }
}
