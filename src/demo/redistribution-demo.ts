import { Inject, Injectable } from '@nestjs/common';
import { AssembliesService } from '../governance/assemblies.service.js';
import { MotionsService } from '../governance/motions.service.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { ADOPT_POLICY, RedistributionService } from '../redistribution/redistribution.service.js';
import { demoId } from './demo-data.js';
import type { DemoWorld } from './demo-world.js';

/**
 * Redistribution in the demo: the land trust's members' assembly adopts, by a motion both its members vote
 * for (it closes as soon as everyone has voted), a monthly policy: half of the ground-lease income above
 * 200.00 goes to the stewardship reserve, a tenth of it to the Riverside strike fund. Kwame, its treasurer,
 * previews last month's run and executes it; the scheduler runs the next one on the 1st.
 */
@Injectable()
export class RedistributionDemo {
  constructor(
    @Inject(AssembliesService) private readonly assemblies: AssembliesService,
    @Inject(MotionsService) private readonly motions: MotionsService,
    @Inject(RedistributionService) private readonly redistribution: RedistributionService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(world: DemoWorld): Promise<void> {
    const trust = world.organizationId('hillside-land-trust');
    const assembly = await this.assemblies.createAssembly(await world.as('kwame'), {
      id: demoId('assembly:land-trust'),
      organizationId: trust,
      name: 'Land trust members',
      kind: 'MEMBERS',
      delegationAllowed: false,
      outcomesPublic: false,
    });
    const leaseIncome = demoId('account:lease-income');
    const surplus = (share: string) => ({
      accountId: leaseIncome,
      measure: 'BALANCE_ABOVE_FLOOR',
      floor: '20000',
      share,
    });
    const motion = await this.motions.propose(await world.as('kwame'), {
      id: demoId('motion:lease-surplus-policy'),
      assemblyId: assembly.id,
      title: 'Share the ground-lease surplus every month',
      body:
        'Above a working balance of 200.00, half of the lease income goes to the stewardship reserve and a ' +
        'tenth to the Riverside strike fund, on the 1st of every month.',
      ballotKind: 'YES_NO',
      rule: { kind: 'MAJORITY' },
      quorum: null,
      options: [],
      budget: null,
      effect: {
        kind: ADOPT_POLICY,
        params: {
          policy: {
            name: 'Ground-lease surplus',
            unitCode: 'EUR',
            apportionment: 'LARGEST_REMAINDER',
            cadence: 'MONTHLY',
            legs: [
              {
                name: 'stewardship reserve',
                split: 'EQUAL',
                sources: [surplus('1/2')],
                destinations: [{ accountId: demoId('account:stewardship-reserve') }],
              },
              {
                name: 'strike fund solidarity',
                split: 'EQUAL',
                sources: [surplus('1/10')],
                destinations: [{ accountId: demoId('account:strike-fund') }],
              },
            ],
          },
        },
      },
      secret: false,
      resultsHidden: false,
      changeable: false,
      earlyClose: true,
      opensAt: null,
      closesAt: new Date(this.clock.now().getTime() + 7 * 86_400_000),
    });
    for (const voter of ['ortiz', 'kwame']) {
      await this.motions.cast(await world.as(voter), {
        motionId: motion.id,
        voterId: null,
        choice: { kind: 'YES_NO', choice: 'YES' },
        reason: '',
      });
    }
    const [policy] = await this.redistribution.policies(await world.as('kwame'), {
      organizationId: trust,
      after: null,
      limit: 1,
    });
    if (policy === undefined) return;
    const now = this.clock.now();
    const period = {
      start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)),
      end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    };
    const preview = await this.redistribution.preview(await world.as('kwame'), { policyId: policy.id, period });
    await this.redistribution.execute(await world.as('kwame'), {
      policyId: policy.id,
      period,
      previewDigest: preview.digest,
    });
  }
}
