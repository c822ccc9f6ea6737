import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { GovernanceService } from '../governance/governance.service.js';
import { LandTrustsService } from './land-trusts.service.js';

export const CHANGE_FEE = 'land-trusts.change-fee';
export const RELIEVE_CHARGE = 'land-trusts.relieve-charge';

/**
 * What the trust's assembly may decide, as motions' effects (registered with governance when the module
 * starts):
 *
 * - `land-trusts.change-fee` { leaseId, effectiveOn, fee, reserveSharePoints, reason? }: a new fee version,
 *   recorded with the motion that authorised it.
 * - `land-trusts.relieve-charge` { chargeId, kind: WAIVE, amount?, reason } or { chargeId, kind: DEFER,
 *   deferTo, reason }: hardship relief decided by the assembly, where the trust's rules say so; a waiver's
 *   ledger transaction names the motion as its authority.
 *
 * The assembly must be the one of the organisation that runs the lease's trust.
 */
@Injectable()
export class LandTrustDecisions implements OnModuleInit {
  constructor(
    @Inject(GovernanceService) private readonly governance: GovernanceService,
    @Inject(LandTrustsService) private readonly landTrusts: LandTrustsService,
  ) {}

  onModuleInit(): void {
    this.governance.registerEffect(CHANGE_FEE, {
      check: (manager, { assembly, params }) =>
        this.landTrusts.checkDecision(manager, assembly.organizationId, 'change-fee', params),
      apply: (manager, { motion, params }) => this.landTrusts.applyDecision(manager, motion.id, 'change-fee', params),
    });
    this.governance.registerEffect(RELIEVE_CHARGE, {
      check: (manager, { assembly, params }) =>
        this.landTrusts.checkDecision(manager, assembly.organizationId, 'relieve-charge', params),
      apply: (manager, { motion, params }) =>
        this.landTrusts.applyDecision(manager, motion.id, 'relieve-charge', params),
    });
  }
}
