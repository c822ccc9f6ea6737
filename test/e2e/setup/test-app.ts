import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/app.factory.js';
import { loadConfig } from '../../../src/kernel/config/app-config.js';
import { findInvariantViolations } from '../../../src/ledger/ledger-invariants.js';
import { createTestDatabase } from './test-database.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data: T | null;
  readonly errors:
    | readonly {
        message: string;
        path?: string[];
        extensions: { code: string; details: { reason: string } & Record<string, unknown> };
      }[]
    | undefined;
}

/** A signed-in person with an organisation where they are ADMIN and TREASURER (a unit issuer). */
export interface Steward {
  readonly token: string;
  readonly personId: string;
  readonly organizationId: string;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** Who a request is sent as: a bearer token, or no one (null). Defaults to the file's steward. */
export interface RequestOptions {
  readonly token?: string | null;
}

/**
 * The real application on Fastify, on its own database, spoken to over HTTP. One per test file:
 * `truncate()` between tests, `assertBooksBalance()` after each, `close()` at the end. Requests are sent as
 * the steward (`steward`), a person who runs an issuing federation, unless a test says otherwise.
 */
export class TestApp {
  steward!: Steward;

  private constructor(
    readonly app: NestFastifyApplication,
    readonly dataSource: DataSource,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<TestApp> {
    const database = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      DEMO_DATA: 'false',
      GRAPHQL_IDE: 'false',
      HOLD_EXPIRY_INTERVAL_MS: '0',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error',
      DATABASE_POOL_SIZE: '20',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      EMAIL_DELIVERY: 'memory',
      ...env,
    });
    const app = await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const testApp = new TestApp(app, app.get(DataSource), database.drop);
    testApp.steward = await testApp.signUpSteward('steward@test.example', 'test-federation');
    return testApp;
  }

  /** Registers a person who creates a FEDERATION and takes TREASURER there (besides ADMIN). */
  async signUpSteward(email: string, slug: string): Promise<Steward> {
    const token = await this.register(email);
    const created = await this.ok<{ createOrganization: { id: string } }>(
      `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
      { input: { kind: 'FEDERATION', name: `Federation ${slug}`, slug } },
      { token },
    );
    const viewer = await this.ok<{ me: { memberships: { id: string; personId: string; organizationId: string }[] } }>(
      `{ me { memberships { id personId organizationId } } }`,
      {},
      { token },
    );
    const membership = viewer.me.memberships.find((item) => item.organizationId === created.createOrganization.id);
    if (membership === undefined) throw new Error('the creator is a member');
    await this.ok(
      `mutation($input: SetMemberRolesInput!) { setMemberRoles(input: $input) { id } }`,
      { input: { membershipId: membership.id, roles: ['ADMIN', 'TREASURER'] } },
      { token },
    );
    return { token, personId: membership.personId, organizationId: created.createOrganization.id };
  }

  /** Registers a person and returns their access token. */
  async register(email: string, name = email.split('@')[0] ?? email): Promise<string> {
    const data = await this.ok<{ register: { accessToken: string } }>(
      `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`,
      { input: { email, name, password: TEST_PASSWORD } },
      { token: null },
    );
    return data.register.accessToken;
  }

  async graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<GraphQLResponse<T>> {
    const token = options.token === undefined ? this.steward?.token : options.token;
    let call = request(this.app.getHttpServer()).post('/graphql').set('content-type', 'application/json');
    if (token !== null && token !== undefined) call = call.set('authorization', `Bearer ${token}`);
    const response = await call.send({ query, variables });
    const body = response.body as { data?: T | null; errors?: GraphQLResponse['errors'] };
    return { status: response.status, data: body.data ?? null, errors: body.errors };
  }

  /** Like graphql, but fails the test on any error; returns data. */
  async ok<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<T> {
    const response = await this.graphql<T>(query, variables, options);
    if (response.errors !== undefined || response.data === null) {
      throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    }
    return response.data;
  }

  async truncate(): Promise<void> {
    await this.dataSource.query(
      'TRUNCATE unit, account, account_change, transaction_outcome, ledger_transaction, entry, open_hold CASCADE',
    );
  }

  /** A snapshot of everything the ledger holds, to prove a refused request changed nothing. */
  async snapshot(): Promise<string> {
    const rows: unknown[] = await this.dataSource.query(`
      SELECT json_build_object(
        'accounts', (SELECT coalesce(json_agg(a ORDER BY a.id), '[]') FROM account a),
        'changes', (SELECT count(*) FROM account_change),
        'outcomes', (SELECT count(*) FROM transaction_outcome),
        'transactions', (SELECT count(*) FROM ledger_transaction),
        'entries', (SELECT count(*) FROM entry),
        'holds', (SELECT count(*) FROM open_hold),
        'units', (SELECT count(*) FROM unit)) AS snapshot`);
    return JSON.stringify(rows);
  }

  async assertBooksBalance(): Promise<void> {
    const violations = await findInvariantViolations(this.dataSource.manager);
    if (violations.length > 0) throw new Error(`ledger invariants broken: ${JSON.stringify(violations, null, 2)}`);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.dropDatabase();
  }
}
