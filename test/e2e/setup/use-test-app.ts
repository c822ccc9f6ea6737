import { createUnit, openAccount, type AccountOptions } from '../ledger/ledger-fixtures.js';
import { TestApp } from './test-app.js';

/** What an e2e spec file works with: its app (its own database) and the accounts opened for each test. */
export interface TestFixture<Name extends string> {
  readonly app: TestApp;
  readonly accounts: Readonly<Record<Name, string>>;
}

export interface TestSetup<Name extends string> {
  /** Settings of the app, over the test defaults. */
  readonly env?: Record<string, string>;
  /** Once, after the app starts: what the whole file shares (organisations, people). */
  readonly once?: (app: TestApp) => Promise<void>;
  /** Units the steward's federation issues before each test: [code, kind, scale]. */
  readonly units?: readonly (readonly [code: string, kind: string, scale: number])[];
  /** Accounts opened before each test, in this order, by name (the steward's federation holds them). */
  readonly accounts?: Readonly<Record<Name, AccountOptions>>;
}

/**
 * The set-up every e2e spec shares: the app on its own database for the file, the books cleared before
 * each test (then the units and accounts the file asks for), the books checked after each test, and the
 * database dropped at the end. `ready` hands the file its fixture when the app starts and before each test.
 */
export function useTestApp<Name extends string = never>(
  setup: TestSetup<Name>,
  ready: (fixture: TestFixture<Name>) => void,
): void {
  let app: TestApp | undefined;
  const started = (): TestApp => {
    if (app === undefined) throw new Error('the test app did not start');
    return app;
  };
  beforeAll(async () => {
    app = await TestApp.start(setup.env);
    ready({ app, accounts: {} as Record<Name, string> });
    await setup.once?.(app);
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    const current = started();
    await current.truncate();
    for (const [code, kind, scale] of setup.units ?? []) await createUnit(current, code, kind, scale);
    const accounts = {} as Record<Name, string>;
    for (const [name, options] of Object.entries<AccountOptions>(setup.accounts ?? {})) {
      accounts[name as Name] = await openAccount(current, options);
    }
    ready({ app: current, accounts });
  });
  afterEach(async () => {
    await started().assertBooksBalance();
  });
}

/** The unit most ledger tests use: a mutual credit in cents. */
export const CWC = ['CWC', 'CREDIT', 2] as const;
