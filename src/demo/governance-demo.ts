import { Inject, Injectable } from '@nestjs/common';
import { AssembliesService } from '../governance/assemblies.service.js';
import { MotionsService } from '../governance/motions.service.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { demoId } from './demo-data.js';
import type { DemoWorld } from './demo-world.js';

/** The demo organisations seated in the federation's congress, and who speaks for each. */
const CONGRESS_SEATS: readonly { readonly organization: string; readonly delegate: string }[] = [
  { organization: 'bread-and-roses-bakery', delegate: 'lucia' },
  { organization: 'spoke-and-chain-bikes', delegate: 'sam' },
  { organization: 'riverside-time-bank', delegate: 'jonas' },
  { organization: 'riverside-strike-fund', delegate: 'dana' },
  { organization: 'hillside-land-trust', delegate: 'kwame' },
];

const WEEK_MS = 7 * 86_400_000;

/**
 * Governance in the demo: the federation's confederal congress, where each member organisation's delegate
 * votes on raising the bike co-op's credit line (an effect: it applies itself if the motion passes), and the
 * time bank's members' assembly choosing the evening of its skill share by ranked ballot, with one member's
 * vote delegated. Both motions are open for a week from the moment the demo loads.
 */
@Injectable()
export class GovernanceDemo {
  constructor(
    @Inject(AssembliesService) private readonly assemblies: AssembliesService,
    @Inject(MotionsService) private readonly motions: MotionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(world: DemoWorld): Promise<void> {
    const closesAt = new Date(this.clock.now().getTime() + WEEK_MS);
    const federation = world.organizationId('commonwealth-federation');
    const congress = await this.assemblies.createAssembly(await world.as('rosa'), {
      id: demoId('assembly:congress'),
      organizationId: federation,
      name: 'Commonwealth congress',
      kind: 'CONFEDERAL',
      delegationAllowed: true,
      outcomesPublic: true,
    });
    for (const seat of CONGRESS_SEATS) {
      const organizationId = world.organizationId(seat.organization);
      await this.assemblies.setSeat(await world.as('rosa'), { assemblyId: congress.id, organizationId, weight: 1n });
      await this.assemblies.appointDelegate(await world.as(seat.delegate), {
        assemblyId: congress.id,
        organizationId,
        delegateId: world.personId(seat.delegate),
      });
    }
    const creditLine = await this.motions.propose(await world.as('sam'), {
      id: demoId('motion:bikes-credit-line'),
      assemblyId: congress.id,
      title: "Raise the bike co-op's credit line to 8 000 CWC",
      body:
        'The cargo-bike repair contract with the city pays 90 days after delivery. A higher credit line lets ' +
        'Spoke & Chain buy parts from the bakery and the print shop in CWC meanwhile.',
      ballotKind: 'YES_NO',
      rule: { kind: 'CONSENT' },
      quorum: { numerator: 1n, denominator: 2n },
      options: [],
      budget: null,
      effect: {
        kind: 'ledger.set-credit-line',
        params: { accountId: demoId('account:bikes'), creditLimit: '800000' },
      },
      secret: false,
      resultsHidden: false,
      changeable: true,
      earlyClose: false,
      opensAt: null,
      closesAt,
    });
    await this.motions.cast(await world.as('lucia'), {
      motionId: creditLine.id,
      voterId: null,
      choice: { kind: 'YES_NO', choice: 'YES' },
      reason: 'They have always paid us back.',
    });
    await this.motions.cast(await world.as('jonas'), {
      motionId: creditLine.id,
      voterId: null,
      choice: { kind: 'YES_NO', choice: 'YES' },
      reason: '',
    });

    const timeBank = await this.assemblies.createAssembly(await world.as('jonas'), {
      id: demoId('assembly:time-bank'),
      organizationId: world.organizationId('riverside-time-bank'),
      name: 'Members’ meeting',
      kind: 'MEMBERS',
      delegationAllowed: true,
      outcomesPublic: false,
    });
    await this.assemblies.delegate(await world.as('amara'), {
      assemblyId: timeBank.id,
      fromVoterId: null,
      toVoterId: world.personId('jonas'),
      motionId: null,
    });
    const evening = await this.motions.propose(await world.as('jonas'), {
      id: demoId('motion:skill-share-evening'),
      assemblyId: timeBank.id,
      title: 'Which evening for the monthly skill share?',
      body: 'Rank the evenings you could come; the Schulze method picks the one most of us prefer.',
      ballotKind: 'RANKED',
      rule: { kind: 'MAJORITY' },
      quorum: null,
      options: ['Monday', 'Wednesday', 'Thursday'],
      budget: null,
      effect: null,
      secret: false,
      resultsHidden: false,
      changeable: true,
      earlyClose: false,
      opensAt: null,
      closesAt,
    });
    await this.motions.cast(await world.as('jonas'), {
      motionId: evening.id,
      voterId: null,
      choice: { kind: 'RANKED', ranking: [['Wednesday'], ['Thursday'], ['Monday']] },
      reason: '',
    });
    await this.motions.cast(await world.as('wei'), {
      motionId: evening.id,
      voterId: null,
      choice: { kind: 'RANKED', ranking: [['Thursday'], ['Wednesday']] },
      reason: 'Thursday suits the picket rota best.',
    });
  }
}
