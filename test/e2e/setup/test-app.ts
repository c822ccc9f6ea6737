import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/app.factory.js';
import { DOMAIN_MODULES } from '../../../src/domain-modules.js';
import { loadConfig } from '../../../src/kernel/config/app-config.js';
import { BOOKS } from '../../../src/domain-modules.js';
import { findInvariantViolations } from '../../../src/kernel/invariants.js';
import { snapshotOf, truncateAllBut, type DatabaseSnapshot, type Query } from '../../support/databases.js';
import type { GraphQLSend } from '../../support/graphql.js';
import { STEWARD_PASSWORD, signUpSteward, type Steward } from '../../support/steward.js';
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

export type { Steward };

export const TEST_PASSWORD = STEWARD_PASSWORD;

/** Who a request is sent as: a bearer token, or no one (null). Defaults to the file's steward. */
export interface RequestOptions {
  readonly token?: string | null;
}

/**
 * What a test file signs up once and keeps between its tests: the audit log and the identity modules' rows
 * (persons, sessions, organisations, memberships). Everything else (the books, scheduled work) is cleared
 * before each test.
 */
const KEPT_TABLES = [
  'audit_event',
  ...DOMAIN_MODULES.filter((domain) => domain.name === 'auth' || domain.name === 'organizations').flatMap(
    (domain) => domain.tables,
  ),
];

/**
 * The real application on Fastify, on its own database, spoken to over HTTP. One per test file:
 * `truncate()` between tests, `assertBooksBalance()` after each, `close()` at the end (useTestApp does all
 * three). Requests are sent as the steward (`steward`), a person who runs an issuing federation, unless a
 * test says otherwise.
 */
export class TestApp {
  steward!: Steward;

  private constructor(
    readonly app: NestFastifyApplication,
    readonly dataSource: DataSource,
    private readonly databaseUrl: string,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<TestApp> {
    const database = await createTestDatabase();
    const testApp = await TestApp.open(database.url, env, database.drop);
    testApp.steward = await testApp.signUpSteward('steward@test.example', 'test-federation');
    return testApp;
  }

  /** A second application on this one's database, as a second server process would be (same steward). */
  async alongside(env: Record<string, string> = {}): Promise<TestApp> {
    const second = await TestApp.open(this.databaseUrl, env, () => Promise.resolve());
    second.steward = this.steward;
    return second;
  }

  private static async open(
    databaseUrl: string,
    env: Record<string, string>,
    drop: () => Promise<void>,
  ): Promise<TestApp> {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'false',
      GRAPHQL_IDE: 'false',
      SCHEDULER_TICK_MS: '0',
      CLOCK: 'controlled',
      BOOKS_CHECK_CRON: 'off',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error',
      DATABASE_POOL_SIZE: '20',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      EMAIL_DELIVERY: 'memory',
      ...env,
    });
    const app = await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new TestApp(app, app.get(DataSource), databaseUrl, drop);
  }

  /** Registers a person who creates a FEDERATION and takes TREASURER there (besides ADMIN). */
  async signUpSteward(email: string, slug: string): Promise<Steward> {
    return signUpSteward(this.send, { email, slug });
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

  /** Clears what the modules above identity recorded; the steward and other sign-ups stay. */
  async truncate(): Promise<void> {
    await truncateAllBut(this.query, KEPT_TABLES);
  }

  /** Every table's row count and checksum, to prove that a refused request changed nothing. */
  async snapshot(): Promise<DatabaseSnapshot> {
    return snapshotOf(this.query);
  }

  async assertBooksBalance(): Promise<void> {
    const violations = await findInvariantViolations(this.dataSource.manager, BOOKS);
    if (violations.length > 0)
      throw new Error(`invariants of the books broken: ${JSON.stringify(violations, null, 2)}`);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.dropDatabase();
  }

  private readonly query: Query = (sql, parameters) => this.dataSource.query(sql, parameters);

  private readonly send: GraphQLSend = async <T>(
    query: string,
    variables: Record<string, unknown>,
    token: string | null,
  ): Promise<T> => this.ok<T>(query, variables, { token });
}
