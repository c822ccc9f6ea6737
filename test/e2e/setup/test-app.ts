import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/app.factory.js';
import { loadConfig } from '../../../src/config/app-config.js';
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

/**
 * The real application on Fastify, on its own database, spoken to over HTTP. One per test file:
 * `truncate()` between tests, `assertBooksBalance()` after each, `close()` at the end.
 */
export class TestApp {
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
      LOG_LEVEL: 'error',
      DATABASE_POOL_SIZE: '20',
      ...env,
    });
    const app = await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new TestApp(app, app.get(DataSource), database.drop);
  }

  async graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<T>> {
    const response = await request(this.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query, variables });
    const body = response.body as { data?: T | null; errors?: GraphQLResponse['errors'] };
    return { status: response.status, data: body.data ?? null, errors: body.errors };
  }

  /** Like graphql, but fails the test on any error; returns data. */
  async ok<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await this.graphql<T>(query, variables);
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
