import { randomUUID } from 'node:crypto';

/**
 * The ledger the bench writes to, made through the API as a newcomer would: a steward who runs an issuing
 * federation, one unit, and the accounts (all held by the federation, each with a credit line so that no
 * transfer of the bench is refused for want of funds).
 */
export const BENCH_UNIT = 'BENCH';
export const CREDIT_LIMIT = '1000000000000';
const SETUP_CONCURRENCY = 16;

export interface BenchLedger {
  readonly token: string;
  readonly organizationId: string;
  readonly unitCode: string;
  /** The uniformly used accounts; the hot phase credits the first. */
  readonly accounts: readonly string[];
  readonly hotAccount: string;
  /** Gets the long history: one entry per transaction of the history build. */
  readonly historyAccount: string;
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export class GraphQLClient {
  constructor(
    readonly endpoint: string,
    private token: string | null = null,
  ) {}

  signIn(token: string): void {
    this.token = token;
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token !== null) headers['authorization'] = `Bearer ${this.token}`;
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLBody<T>;
    if (body.errors !== undefined || body.data === null || body.data === undefined) {
      throw new Error(`GraphQL request failed (HTTP ${response.status}): ${JSON.stringify(body.errors ?? body)}`);
    }
    return body.data;
  }
}

export async function prepareLedger(
  client: GraphQLClient,
  accountCount: number,
  log: (message: string) => void,
): Promise<BenchLedger> {
  const slug = `bench-${Date.now().toString(36)}`;
  const { register } = await client.request<{ register: { accessToken: string } }>(
    `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`,
    { input: { email: `steward@${slug}.example`, name: 'Bench steward', password: 'bench steward password 1' } },
  );
  client.signIn(register.accessToken);
  const { createOrganization } = await client.request<{ createOrganization: { id: string } }>(
    `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
    { input: { kind: 'FEDERATION', name: 'Bench federation', slug } },
  );
  const organizationId = createOrganization.id;
  const { me } = await client.request<{ me: { memberships: { id: string; organizationId: string }[] } }>(
    `{ me { memberships { id organizationId } } }`,
  );
  const membership = me.memberships.find((item) => item.organizationId === organizationId);
  if (membership === undefined) throw new Error('the steward is not a member of the federation they created');
  await client.request(`mutation($input: SetMemberRolesInput!) { setMemberRoles(input: $input) { id } }`, {
    input: { membershipId: membership.id, roles: ['ADMIN', 'TREASURER'] },
  });
  // Roles are read from the database at each check, so the same token now acts as TREASURER.
  await client.request(`mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`, {
    input: { code: BENCH_UNIT, name: 'Bench credit', kind: 'CREDIT', scale: 2, issuerId: organizationId },
  });

  const ids = Array.from({ length: accountCount + 1 }, () => randomUUID());
  const started = Date.now();
  let opened = 0;
  let next = 0;
  const openNext = async (): Promise<void> => {
    while (next < ids.length) {
      const index = next++;
      await client.request(`mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`, {
        input: {
          id: ids[index],
          holderId: organizationId,
          unitCode: BENCH_UNIT,
          kind: 'MEMBER',
          name: `Bench account ${index}`,
          creditLimit: CREDIT_LIMIT,
        },
      });
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
  return { token: register.accessToken, organizationId, unitCode: BENCH_UNIT, accounts, hotAccount, historyAccount };
}
