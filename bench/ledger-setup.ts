import { randomUUID } from 'node:crypto';
import type { GraphQLSend } from '../test/support/graphql.js';
import { signUpSteward } from '../test/support/steward.js';

/**
 * The ledger the bench writes to, made through the API as a newcomer would: a steward who runs an issuing
 * federation (test/support/steward.ts), one unit, and the accounts (all held by the federation, each with a
 * credit line so that no transfer of the bench is refused for want of funds).
 */
export const BENCH_UNIT = 'BENCH';
export const CREDIT_LIMIT = '1000000000000';
const SETUP_CONCURRENCY = 16;

export interface BenchLedger {
  readonly token: string;
  /** The steward: the person who runs the bench's federation. */
  readonly personId: string;
  readonly organizationId: string;
  readonly unitCode: string;
  /** The uniformly used accounts; the hot phase credits the first. */
  readonly accounts: readonly string[];
  readonly hotAccount: string;
  /** Gets the long history: one entry per transaction of the history build. */
  readonly historyAccount: string;
}

export async function prepareLedger(
  send: GraphQLSend,
  accountCount: number,
  log: (message: string) => void,
): Promise<BenchLedger> {
  const slug = `bench-${Date.now().toString(36)}`;
  const steward = await signUpSteward(send, { email: `steward@${slug}.example`, slug, name: 'Bench steward' });
  const { token, organizationId, personId } = steward;
  // Roles are read from the database at each check, so the steward's token acts as TREASURER.
  await send(
    `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`,
    { input: { code: BENCH_UNIT, name: 'Bench credit', kind: 'CREDIT', scale: 2, issuerId: organizationId } },
    token,
  );

  const ids = Array.from({ length: accountCount + 1 }, () => randomUUID());
  const started = Date.now();
  let opened = 0;
  let next = 0;
  const openNext = async (): Promise<void> => {
    while (next < ids.length) {
      const index = next++;
      await send(
        `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`,
        {
          input: {
            id: ids[index],
            holderId: organizationId,
            unitCode: BENCH_UNIT,
            kind: 'MEMBER',
            name: `Bench account ${index}`,
            creditLimit: CREDIT_LIMIT,
          },
        },
        token,
      );
      opened += 1;
      if (opened % 2500 === 0) log(`  opened ${opened} of ${ids.length} accounts`);
    }
  };
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, openNext));
  log(`opened ${ids.length} accounts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const accounts = ids.slice(0, accountCount);
  const historyAccount = ids[accountCount];
  const hotAccount = accounts[0];
  if (historyAccount === undefined || hotAccount === undefined) throw new Error('no accounts were opened');
  return { token, personId, organizationId, unitCode: BENCH_UNIT, accounts, hotAccount, historyAccount };
}
