/**
 * Rent-strike escrow released by a passed motion of the union's assembly. Each tenant's held amount is what
 * they deposited less what earlier releases paid out for them.
 *
 * - TO_LANDLORD (settlement): every held amount goes to the landlord in one payment; the breakdown says
 *   what each tenant's share was.
 * - TO_TENANTS: each tenant gets back exactly what they hold, less `withheldPerTenant` (never below zero);
 *   what is withheld stays in the fund.
 *
 * SQL twin: escrow_release_share_paid_range (0 ≤ paid ≤ held).
 */

export type ReleaseMode = 'TO_LANDLORD' | 'TO_TENANTS';

export interface Holding {
  readonly tenantId: string;
  readonly accountId: string;
  readonly held: bigint;
}

export interface ReleaseShare {
  readonly tenantId: string;
  readonly accountId: string;
  readonly held: bigint;
  readonly paid: bigint;
}

export function releaseShares(
  holdings: readonly Holding[],
  mode: ReleaseMode,
  withheldPerTenant: bigint,
): ReleaseShare[] {
  return holdings
    .filter((holding) => holding.held > 0n)
    .sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0))
    .map((holding) => {
      const back = holding.held - withheldPerTenant;
      const paid = mode === 'TO_LANDLORD' ? holding.held : back > 0n ? back : 0n;
      return { ...holding, paid };
    });
}
