import { isValidCron } from '../scheduling/occurrences.js';

/**
 * The service's settings, read once from the environment and validated as a whole, so that a bad setting
 * stops start-up with one message that names every problem instead of failing later in some module.
 */
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export interface AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  /** A PostgreSQL connection string; when absent the service runs its own embedded PostgreSQL. */
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  readonly embeddedDataDir: string;
  readonly embeddedPort: number;
  readonly logLevel: LogLevel;
  readonly graphqlIde: boolean;
  readonly graphqlIntrospection: boolean;
  readonly demoData: boolean;
  readonly scheduler: SchedulerConfig;
  readonly auth: AuthConfig;
  readonly coalescing: CoalescingConfig;
}

export const CLOCKS = ['system', 'controlled'] as const;
export type ClockKind = (typeof CLOCKS)[number];

/** Scheduled work (kernel/scheduling): how often each process looks for due work, and by which clock. */
export interface SchedulerConfig {
  /** 0: never by itself (tests tick by hand). */
  readonly tickMs: number;
  /** `controlled` lets tests move time; refused in production. */
  readonly clock: ClockKind;
  /** When the ledger checks its books (a cron expression, UTC), or null for never. */
  readonly booksCheckCron: string | null;
  /** After downtime, check once for every missed occurrence (EACH) or once only (LATEST). */
  readonly booksCheckCatchUp: 'EACH' | 'LATEST';
}

/** How concurrent single mutations are grouped into batches (kernel/database/coalescer.ts). */
export interface CoalescingConfig {
  readonly windowMs: number;
  readonly maxBatch: number;
  readonly maxInFlight: number;
}

export const EMAIL_DELIVERIES = ['log', 'memory'] as const;
export type EmailDelivery = (typeof EMAIL_DELIVERIES)[number];

export interface AuthConfig {
  /**
   * Signs access tokens (HS256). Required in production; in development the embedded database keeps a
   * generated one beside its data, and a server given by DATABASE_URL gets one per process (with a warning).
   */
  readonly jwtSecret: string | undefined;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly invitationTtlSeconds: number;
  /** Where invitation emails go: the log (default) or an in-memory outbox (tests). */
  readonly emailDelivery: EmailDelivery;
  /** The address invitations link to, followed by the token. */
  readonly invitationUrl: string;
  readonly loginSlowAfter: number;
  readonly loginLockAfter: number;
  readonly loginLockSeconds: number;
}

export const MIN_JWT_SECRET_LENGTH = 32;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates every setting; throws one ConfigError listing all the problems found. */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const nodeEnv = readChoice(env, 'NODE_ENV', NODE_ENVS, 'development', problems);
  const production = nodeEnv === 'production';
  const config: AppConfig = {
    nodeEnv,
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readInteger(env, 'PORT', 3000, 0, 65535, problems),
    databaseUrl: readDatabaseUrl(env, problems),
    databasePoolSize: readInteger(env, 'DATABASE_POOL_SIZE', 10, 1, 200, problems),
    embeddedDataDir: readString(env, 'EMBEDDED_PG_DIR', '.data/postgres'),
    embeddedPort: readInteger(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535, problems),
    logLevel: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'log', problems),
    graphqlIde: readBoolean(env, 'GRAPHQL_IDE', !production, problems),
    graphqlIntrospection: readBoolean(env, 'GRAPHQL_INTROSPECTION', !production, problems),
    demoData: readBoolean(env, 'DEMO_DATA', !production, problems),
    scheduler: {
      tickMs: readInteger(env, 'SCHEDULER_TICK_MS', 1000, 0, 3_600_000, problems),
      clock: readChoice(env, 'CLOCK', CLOCKS, 'system', problems),
      booksCheckCron: readCron(env, 'BOOKS_CHECK_CRON', '17 * * * *', problems),
      booksCheckCatchUp: readChoice(env, 'BOOKS_CHECK_CATCH_UP', ['EACH', 'LATEST'] as const, 'LATEST', problems),
    },
    coalescing: {
      windowMs: readInteger(env, 'COALESCE_WINDOW_MS', 2, 0, 1000, problems),
      maxBatch: readInteger(env, 'COALESCE_MAX_BATCH', 500, 1, 1000, problems),
      maxInFlight: readInteger(env, 'COALESCE_MAX_IN_FLIGHT', 2, 1, 100, problems),
    },
    auth: {
      jwtSecret: readJwtSecret(env, problems),
      accessTokenTtlSeconds: readInteger(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 1, 86_400, problems),
      refreshTokenTtlSeconds: readInteger(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400, problems),
      invitationTtlSeconds: readInteger(env, 'INVITATION_TTL_SECONDS', 7 * 86_400, 1, 90 * 86_400, problems),
      emailDelivery: readChoice(env, 'EMAIL_DELIVERY', EMAIL_DELIVERIES, 'log', problems),
      invitationUrl: readString(env, 'INVITATION_URL', 'http://localhost:3000/invitations/accept?token='),
      loginSlowAfter: readInteger(env, 'LOGIN_SLOW_AFTER', 5, 1, 1000, problems),
      loginLockAfter: readInteger(env, 'LOGIN_LOCK_AFTER', 10, 2, 1000, problems),
      loginLockSeconds: readInteger(env, 'LOGIN_LOCK_SECONDS', 900, 1, 86_400, problems),
    },
  };
  if (config.graphqlIde && !config.graphqlIntrospection) {
    problems.push('GRAPHQL_IDE needs GRAPHQL_INTROSPECTION (the IDE reads the schema by introspection)');
  }
  if (config.auth.loginLockAfter <= config.auth.loginSlowAfter) {
    problems.push('LOGIN_LOCK_AFTER must be greater than LOGIN_SLOW_AFTER');
  }
  if (production && config.auth.jwtSecret === undefined) {
    problems.push(`JWT_SECRET is required when NODE_ENV=production (at least ${MIN_JWT_SECRET_LENGTH} characters)`);
  }
  if (production && env['DEMO_DATA'] !== undefined && config.demoData) {
    problems.push('DEMO_DATA cannot be on when NODE_ENV=production (its sign-ins are printed in the log)');
  }
  if (production && config.auth.emailDelivery === 'memory') {
    problems.push('EMAIL_DELIVERY=memory is for tests; it cannot be used when NODE_ENV=production');
  }
  if (production && config.scheduler.clock === 'controlled') {
    problems.push('CLOCK=controlled is for tests; it cannot be used when NODE_ENV=production');
  }
  if (production && config.databaseUrl === undefined) {
    problems.push('DATABASE_URL is required when NODE_ENV=production (the embedded database is for development)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function readString(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? fallback : value;
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return Number(raw);
}

function readBoolean(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name} must be true or false, got "${env[name] ?? ''}"`);
  return fallback;
}

function readChoice<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
  fallback: T,
  problems: string[],
): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const choice = choices.find((candidate) => candidate === raw);
  if (choice === undefined) {
    problems.push(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
    return fallback;
  }
  return choice;
}

/** A cron expression (UTC), or null when the setting is "off". */
function readCron(env: Env, name: string, fallback: string, problems: string[]): string | null {
  const raw = readString(env, name, fallback);
  if (raw.toLowerCase() === 'off') return null;
  if (!isValidCron(raw)) {
    problems.push(`${name} must be a cron expression of five or six fields (UTC), or off; got "${raw}"`);
    return fallback;
  }
  return raw;
}

function readJwtSecret(env: Env, problems: string[]): string | undefined {
  const raw = env['JWT_SECRET'];
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < MIN_JWT_SECRET_LENGTH) {
    problems.push(`JWT_SECRET must have at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }
  return raw;
}

function readDatabaseUrl(env: Env, problems: string[]): string | undefined {
  const raw = env['DATABASE_URL']?.trim();
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      problems.push(`DATABASE_URL must start with postgres:// or postgresql://, got "${url.protocol}"`);
    }
  } catch {
    problems.push('DATABASE_URL is not a valid URL');
  }
  return raw;
}
