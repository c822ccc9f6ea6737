/**
 * The ledger a fault run writes to, set up over GraphQL on a running server: a steward (test/support/steward.ts)
 * whose FEDERATION issues one unit, and accounts on a mix of terms so that refusals happen under load.
 */
import { randomUUID } from 'node:crypto';
import { graphqlAt } from '../graphql.js';
import { signUpSteward, type Steward } from '../steward.js';

export interface AccountSpec {
  readonly id: string;
  readonly creditLimit: bigint;
  readonly upperLimit: bigint | null;
}

export interface LedgerSetup {
  readonly steward: Steward;
  readonly unitCode: string;
  readonly accounts: readonly AccountSpec[];
}

/**
 * A mix of terms, so that refusals happen: a quarter of the accounts cannot go below zero, the others have
 * credit lines of different sizes (the first, often the hot one, a small one), and every fifth has an upper
 * limit.
 */
export function accountPlan(count: number): AccountSpec[] {
  const creditLimits = [500n, 0n, 2_000n, 5_000n];
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    creditLimit: creditLimits[index % creditLimits.length] ?? 0n,
    upperLimit: index % 5 === 4 ? 3_000n : null,
  }));
}

/** Signs up a steward (ADMIN and TREASURER of a FEDERATION), issues the unit there and opens the accounts. */
export async function setUpLedger(
  baseUrl: string,
  options: { readonly accounts: readonly AccountSpec[]; readonly unitCode?: string; readonly label?: string },
): Promise<LedgerSetup> {
  const label = (options.label ?? randomUUID().slice(0, 8)).toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const unitCode = options.unitCode ?? 'CRASH';
  const send = graphqlAt(baseUrl);
  const steward = await signUpSteward(send, {
    email: `steward-${label}@faults.example`,
    slug: `faults-${label}`,
    name: `Steward ${label}`,
  });
  await send(
    `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`,
    {
      input: { code: unitCode, name: `${unitCode} credit`, kind: 'CREDIT', scale: 2, issuerId: steward.organizationId },
    },
    steward.token,
  );
  for (const [index, account] of options.accounts.entries()) {
    await send(
      `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`,
      {
        input: {
          id: account.id,
          unitCode,
          holderId: steward.organizationId,
          name: `Account ${index}`,
          kind: 'MEMBER',
          creditLimit: String(account.creditLimit),
          upperLimit: account.upperLimit === null ? null : String(account.upperLimit),
        },
      },
      steward.token,
    );
  }
  return { steward, unitCode, accounts: options.accounts };
}
