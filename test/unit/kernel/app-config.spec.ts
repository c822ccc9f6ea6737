/**
 * Goal: loadConfig reads every setting with its documented default and reports every invalid setting in
 * one ConfigError. Method: worked examples over plain env objects (process.env is never touched).
 */
import { ConfigError, loadConfig } from '../../../src/kernel/config/app-config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: undefined,
      databasePoolSize: 10,
      embeddedDataDir: '.data/postgres',
      embeddedPort: 54329,
      logLevel: 'log',
      graphqlIde: true,
      graphqlIntrospection: true,
      demoData: true,
      scheduler: { tickMs: 1000, clock: 'system', booksCheckCron: '17 * * * *', booksCheckCatchUp: 'LATEST' },
      coalescing: { windowMs: 2, maxBatch: 500, maxInFlight: 2 },
      auth: {
        jwtSecret: undefined,
        accessTokenTtlSeconds: 900,
        refreshTokenTtlSeconds: 2_592_000,
        invitationTtlSeconds: 604_800,
        emailDelivery: 'log',
        invitationUrl: 'http://localhost:3000/invitations/accept?token=',
        loginSlowAfter: 5,
        loginLockAfter: 10,
        loginLockSeconds: 900,
      },
    });
  });

  it('treats blank values as unset and trims values', () => {
    expect(loadConfig({ PORT: '  ', HOST: '', LOG_LEVEL: ' debug ', PORT_X: 'ignored' })).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      logLevel: 'debug',
    });
    expect(loadConfig({ PORT: ' 8080 ', HOST: ' 0.0.0.0 ' })).toMatchObject({ port: 8080, host: '0.0.0.0' });
  });

  it('reads every valid setting', () => {
    expect(
      loadConfig({
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        PORT: '0',
        DATABASE_URL: 'postgresql://u:p@db:5432/ledger',
        DATABASE_POOL_SIZE: '200',
        EMBEDDED_PG_DIR: '/tmp/pg',
        EMBEDDED_PG_PORT: '1024',
        LOG_LEVEL: 'verbose',
        GRAPHQL_IDE: 'TRUE',
        GRAPHQL_INTROSPECTION: 'true',
        DEMO_DATA: '0',
        SCHEDULER_TICK_MS: '0',
        CLOCK: 'system',
        BOOKS_CHECK_CRON: 'off',
        BOOKS_CHECK_CATCH_UP: 'EACH',
        JWT_SECRET: 'a'.repeat(32),
        ACCESS_TOKEN_TTL_SECONDS: '60',
        REFRESH_TOKEN_TTL_SECONDS: '3600',
        INVITATION_TTL_SECONDS: '120',
        EMAIL_DELIVERY: 'log',
        INVITATION_URL: 'https://coop.example/join?token=',
        LOGIN_SLOW_AFTER: '3',
        LOGIN_LOCK_AFTER: '6',
        LOGIN_LOCK_SECONDS: '30',
        COALESCE_WINDOW_MS: '0',
        COALESCE_MAX_BATCH: '1000',
        COALESCE_MAX_IN_FLIGHT: '100',
      }),
    ).toEqual({
      nodeEnv: 'production',
      host: '0.0.0.0',
      port: 0,
      databaseUrl: 'postgresql://u:p@db:5432/ledger',
      databasePoolSize: 200,
      embeddedDataDir: '/tmp/pg',
      embeddedPort: 1024,
      logLevel: 'verbose',
      graphqlIde: true,
      graphqlIntrospection: true,
      demoData: false,
      scheduler: { tickMs: 0, clock: 'system', booksCheckCron: null, booksCheckCatchUp: 'EACH' },
      coalescing: { windowMs: 0, maxBatch: 1000, maxInFlight: 100 },
      auth: {
        jwtSecret: 'a'.repeat(32),
        accessTokenTtlSeconds: 60,
        refreshTokenTtlSeconds: 3600,
        invitationTtlSeconds: 120,
        emailDelivery: 'log',
        invitationUrl: 'https://coop.example/join?token=',
        loginSlowAfter: 3,
        loginLockAfter: 6,
        loginLockSeconds: 30,
      },
    });
  });

  it('turns the IDE, introspection and demo data off by default in production, and requires DATABASE_URL there', () => {
    const secret = { JWT_SECRET: 'x'.repeat(40) };
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', ...secret })).toMatchObject({
      graphqlIde: false,
      graphqlIntrospection: false,
      demoData: false,
    });
    expect(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', GRAPHQL_INTROSPECTION: 'true', ...secret }),
    ).toMatchObject({ graphqlIde: false, graphqlIntrospection: true });
    expect(problemsOf({ NODE_ENV: 'production', ...secret })).toEqual([
      expect.stringContaining('DATABASE_URL is required when NODE_ENV=production'),
    ]);
    expect(loadConfig({ NODE_ENV: 'test' }).databaseUrl).toBeUndefined();
  });

  it.each([
    ['true', true],
    ['1', true],
    ['True', true],
    ['false', false],
    ['0', false],
    [' FALSE ', false],
  ])('reads boolean %j as %s', (raw, expected) => {
    expect(loadConfig({ GRAPHQL_IDE: raw, GRAPHQL_INTROSPECTION: raw, DEMO_DATA: raw })).toMatchObject({
      graphqlIde: expected,
      graphqlIntrospection: expected,
      demoData: expected,
    });
  });

  it.each(['yes', 'no', 'on', '2'])('refuses boolean %j', (raw) => {
    expect(problemsOf({ GRAPHQL_IDE: raw })).toEqual([`GRAPHQL_IDE must be true or false, got "${raw}"`]);
    expect(problemsOf({ GRAPHQL_INTROSPECTION: raw })).toEqual([
      `GRAPHQL_INTROSPECTION must be true or false, got "${raw}"`,
    ]);
  });

  it.each([
    ['PORT', '65535', 65535],
    ['EMBEDDED_PG_PORT', '65535', 65535],
    ['DATABASE_POOL_SIZE', '1', 1],
    ['SCHEDULER_TICK_MS', '3600000', 3_600_000],
  ])('accepts %s=%s at the edge of its range', (name, raw, value) => {
    const key = {
      PORT: 'port',
      EMBEDDED_PG_PORT: 'embeddedPort',
      DATABASE_POOL_SIZE: 'databasePoolSize',
    }[name];
    const config = loadConfig({ [name]: raw });
    expect(key === undefined ? config.scheduler.tickMs : config[key as keyof typeof config]).toBe(value);
  });

  it.each([
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', '1e3'],
    ['PORT', '+80'],
    ['PORT', 'http'],
    ['EMBEDDED_PG_PORT', '1023'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', '201'],
    ['SCHEDULER_TICK_MS', '3600001'],
  ])('refuses %s=%j', (name, raw) => {
    expect(problemsOf({ [name]: raw })).toEqual([
      expect.stringMatching(
        new RegExp(`^${name} must be a whole number from \\d+ to \\d+, got "${raw.replace(/[.+]/g, '\\$&')}"$`),
      ),
    ]);
  });

  it('lists every problem in one ConfigError', () => {
    const env = {
      NODE_ENV: 'staging',
      PORT: 'abc',
      DATABASE_URL: 'mysql://db/x',
      DATABASE_POOL_SIZE: '0',
      EMBEDDED_PG_PORT: '80',
      LOG_LEVEL: 'trace',
      GRAPHQL_IDE: 'yes',
      GRAPHQL_INTROSPECTION: 'off',
      DEMO_DATA: 'maybe',
      SCHEDULER_TICK_MS: '-5',
    };
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.name).toBe('ConfigError');
    expect(error.problems).toHaveLength(10);
    for (const name of Object.keys(env)) {
      expect(error.problems.some((p) => p.startsWith(name))).toBe(true);
      expect(error.message).toContain(name);
    }
    expect(error.message.startsWith('Invalid configuration:\n  - ')).toBe(true);
    expect(error.problems).toContain('NODE_ENV must be one of development, production, test, got "staging"');
    expect(error.problems).toContain('LOG_LEVEL must be one of error, warn, log, debug, verbose, got "trace"');
    expect(error.problems).toContain('DATABASE_URL must start with postgres:// or postgresql://, got "mysql:"');
  });

  it('reads the scheduler: its tick, its clock (controlled only outside production) and the books check cron', () => {
    expect(
      loadConfig({ SCHEDULER_TICK_MS: '250', CLOCK: 'controlled', BOOKS_CHECK_CRON: '*/5 * * * * *' }).scheduler,
    ).toEqual({
      tickMs: 250,
      clock: 'controlled',
      booksCheckCron: '*/5 * * * * *',
      booksCheckCatchUp: 'LATEST',
    });
    expect(problemsOf({ BOOKS_CHECK_CATCH_UP: 'ALL' })).toEqual([
      'BOOKS_CHECK_CATCH_UP must be one of EACH, LATEST, got "ALL"',
    ]);
    expect(loadConfig({ BOOKS_CHECK_CRON: 'OFF' }).scheduler.booksCheckCron).toBeNull();
    for (const cron of ['every hour', '* * *', '61 * * * *', '* * * * * * *']) {
      expect(problemsOf({ BOOKS_CHECK_CRON: cron })).toEqual([
        `BOOKS_CHECK_CRON must be a cron expression of five or six fields (UTC), or off; got "${cron}"`,
      ]);
    }
    expect(problemsOf({ CLOCK: 'fake' })).toEqual(['CLOCK must be one of system, controlled, got "fake"']);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        JWT_SECRET: 'k'.repeat(32),
        CLOCK: 'controlled',
      }),
    ).toEqual(['CLOCK=controlled is for tests; it cannot be used when NODE_ENV=production']);
  });

  it('refuses a DATABASE_URL that is not a URL', () => {
    expect(problemsOf({ DATABASE_URL: 'not a url' })).toEqual(['DATABASE_URL is not a valid URL']);
  });

  it('reports a missing DATABASE_URL in production together with other problems', () => {
    const problems = problemsOf({ NODE_ENV: 'production', PORT: 'x' });
    expect(problems).toEqual([
      expect.stringContaining('PORT must be'),
      expect.stringContaining('JWT_SECRET is required'),
      expect.stringContaining('DATABASE_URL is required'),
    ]);
  });

  it('requires a long JWT_SECRET in production and refuses demo data and the memory outbox there', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' };
    expect(problemsOf(production)).toEqual([expect.stringContaining('JWT_SECRET is required')]);
    expect(problemsOf({ JWT_SECRET: 'short' })).toEqual(['JWT_SECRET must have at least 32 characters']);
    expect(problemsOf({ ...production, JWT_SECRET: 'k'.repeat(32), DEMO_DATA: 'true' })).toEqual([
      expect.stringContaining('DEMO_DATA cannot be on when NODE_ENV=production'),
    ]);
    expect(problemsOf({ ...production, JWT_SECRET: 'k'.repeat(32), EMAIL_DELIVERY: 'memory' })).toEqual([
      expect.stringContaining('EMAIL_DELIVERY=memory is for tests'),
    ]);
  });

  it('refuses a login lock that does not come after the slow-down, and an IDE without introspection', () => {
    expect(problemsOf({ LOGIN_SLOW_AFTER: '5', LOGIN_LOCK_AFTER: '5' })).toEqual([
      'LOGIN_LOCK_AFTER must be greater than LOGIN_SLOW_AFTER',
    ]);
    expect(problemsOf({ GRAPHQL_IDE: 'true', GRAPHQL_INTROSPECTION: 'false' })).toEqual([
      'GRAPHQL_IDE needs GRAPHQL_INTROSPECTION (the IDE reads the schema by introspection)',
    ]);
  });
});
