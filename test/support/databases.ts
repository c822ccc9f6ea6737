/**
 * What tests, fault scripts and the bench need of PostgreSQL databases: the URL of another database on the
 * same server, and the state of a database read from its own catalogue (every table there is, not a list
 * kept by hand), to prove that a refused request changed nothing, or to clear what tests wrote.
 */

/** Runs one SQL statement (a DataSource's or a pg client's query, bound). */
export type Query = (sql: string, parameters?: unknown[]) => Promise<Record<string, unknown>[]>;

export function databaseUrlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Every table of the schema (PostgreSQL's catalogue), but the migrations' own bookkeeping. */
export async function tablesOf(query: Query): Promise<string[]> {
  const rows = await query(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migration'
     ORDER BY table_name`,
  );
  return rows.map((row) => String(row['table_name']));
}

/** Per table, how many rows it holds and a checksum of their content (any change to any row shows). */
export type DatabaseSnapshot = Readonly<Record<string, { readonly rows: number; readonly checksum: string }>>;

export async function snapshotOf(query: Query): Promise<DatabaseSnapshot> {
  const tables = await tablesOf(query);
  const parts = tables.map(
    (table) =>
      `SELECT '${table}' AS name, count(*)::int AS rows,
              coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS checksum FROM ${table} t`,
  );
  const rows = await query(parts.join(' UNION ALL '));
  return Object.fromEntries(
    rows.map((row) => [String(row['name']), { rows: Number(row['rows']), checksum: String(row['checksum']) }]),
  );
}

/** Empties every table of the catalogue except `keep` (and what references them is emptied with them). */
export async function truncateAllBut(query: Query, keep: readonly string[]): Promise<void> {
  const tables = (await tablesOf(query)).filter((table) => !keep.includes(table));
  if (tables.length > 0) await query(`TRUNCATE ${tables.join(', ')} CASCADE`);
}

/** The snapshot without some tables (those a refusal may legitimately write, such as its kept outcome). */
export function without(snapshot: DatabaseSnapshot, ...tables: string[]): DatabaseSnapshot {
  return Object.fromEntries(Object.entries(snapshot).filter(([table]) => !tables.includes(table)));
}
