import { writeFile } from 'node:fs/promises';
import type { LoadFigures } from './load.js';
import type { PgbenchFigures } from './pgbench.js';
import type { WindowFigures } from './server.js';

/** Everything a run measured, printed as a table and as one JSON line, and kept in bench/RESULTS.md. */
export interface CpuFigures {
  readonly serverPercent: number | null;
  readonly postgresPercent: number | null;
  readonly loadPercent: number | null;
  /** CPU milliseconds per applied transaction (or per read). */
  readonly serverMsPerOp: number | null;
  readonly postgresMsPerOp: number | null;
}

export interface PhaseReport extends Omit<LoadFigures, 'perSecond'> {
  /** Transactions applied per second, as the clients saw them answered (requests cut off at the end lost). */
  readonly tps: number;
  /** Transactions the database recorded during the clients' run, per second of it (the server's view). */
  readonly committedTps: number | null;
  /** Ledger transactions written during the phase, by the database's count (in-flight ones at the end too). */
  readonly written: number | null;
  /** Database transactions that wrote them (distinct recorded_at), and the mean transfers per one. */
  readonly dbBatches: number | null;
  readonly meanBatchSize: number | null;
  readonly cpu: CpuFigures;
  readonly maxRssMb: number | null;
}

export interface ReadReport {
  readonly clients: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
  readonly failed: number;
  readonly cpu: CpuFigures;
}

/** The grouped write (bench/grouped-write.ts): one applyGroup call of one authority, in the bench's own process. */
export interface GroupReport {
  readonly size: number;
  readonly authority: { readonly kind: string; readonly id: string };
  /** Building the requests in memory (ids derived, accounts picked). */
  readonly buildSeconds: number;
  /** The applyGroup call and its commit. */
  readonly applySeconds: number;
  /** Transactions applied per second of applySeconds. */
  readonly tps: number;
  /** Transactions the call returned as written. */
  readonly applied: number;
  /** Transactions of the authority in the database after the commit: the size, or the run is void. */
  readonly written: number;
  /** The bench process's RSS before the build, and the most sampled from the build to the commit. */
  readonly rssBeforeMb: number | null;
  readonly maxRssMb: number | null;
  /** "server" is the bench process, which runs the service in-process for this phase. */
  readonly cpu: CpuFigures;
}

/**
 * A domain module's phase (bench/<module>.ts): its figures as label and value lines for the table, and its
 * measurements for the JSON line. A phase that finds its own result wrong (a recount that does not match)
 * makes the run void.
 */
export interface ModulePhaseReport {
  readonly name: string;
  readonly figures: readonly { readonly label: string; readonly value: string }[];
  readonly data: Readonly<Record<string, unknown>>;
  readonly valid: boolean;
}

export interface Target {
  readonly name: string;
  readonly goal: string;
  readonly value: string;
  /** null when it could not be measured (no pgbench). */
  readonly met: boolean | null;
}

export interface BenchReport {
  readonly bench: 'commonwealth-ledger';
  readonly date: string;
  readonly mode: 'full' | 'quick';
  readonly valid: boolean;
  readonly voidReason: string | null;
  readonly settings: Record<string, unknown>;
  readonly machine: Record<string, unknown>;
  readonly pgbench: (PgbenchFigures & { cpu: CpuFigures }) | null;
  readonly pgbenchMissing: string | null;
  readonly single: PhaseReport;
  readonly bulk: PhaseReport;
  readonly hot: PhaseReport;
  readonly history: {
    readonly entries: number;
    readonly build: PhaseReport;
    readonly page: readonly ReadReport[];
    readonly balance: readonly ReadReport[];
  };
  readonly group: GroupReport;
  readonly modules: readonly ModulePhaseReport[];
  readonly memory: { readonly idleRssMb: number | null; readonly maxRssUnderLoadMb: number | null };
  readonly ratios: {
    readonly singleToPgbench: number | null;
    readonly bulkToPgbench: number | null;
    readonly hotToPgbench: number | null;
    readonly hotToUniform: number;
  };
  readonly targets: readonly Target[];
  readonly verification: {
    readonly ok: boolean;
    readonly seconds: number;
    readonly invariantsBroken: readonly { invariant: string; rows: number; first: unknown }[];
    readonly transactions: number;
    readonly entries: number;
    readonly accounts: number;
    readonly acknowledged: number;
  };
}

export function cpuFigures(window: WindowFigures, operations: number): CpuFigures {
  const perOp = (seconds: number | null): number | null =>
    seconds === null || operations === 0 ? null : (1000 * seconds) / operations;
  return {
    serverPercent: window.cpuPercent.server,
    postgresPercent: window.cpuPercent.postgres,
    loadPercent: window.cpuPercent.load,
    serverMsPerOp: perOp(window.cpuSeconds.server),
    postgresMsPerOp: perOp(window.cpuSeconds.postgres),
  };
}

export function mb(bytes: number | null): number | null {
  return bytes === null ? null : Math.round((bytes / (1024 * 1024)) * 10) / 10;
}

// ── Formatting ───────────────────────────────────────────────────────────────────────────────────

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function n(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : integer.format(value);
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function ratio(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(2)}×`;
}

function pct(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(0)}%`;
}

function perOp(value: number | null): string {
  return value === null ? '–' : value.toFixed(3);
}

function status(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : 'MISSED';
}

type Row = readonly string[];

function mainRows(report: BenchReport): { header: Row; rows: Row[] } {
  const s = report.settings as { clients: number; accounts: number; bulkSize: number; bulkConnections: number };
  const target = (name: string): Target | undefined => report.targets.find((item) => item.name === name);
  const goal = (name: string): string => target(name)?.goal ?? '';
  const met = (name: string): string => status(target(name)?.met ?? null);
  const pg = report.pgbench;
  const latency = (phase: PhaseReport): string =>
    `p50 ${ms(phase.latencyMs.p50)} ms, p99 ${ms(phase.latencyMs.p99)} ms`;
  const refusals = (phase: PhaseReport): string => (phase.refused === 0 ? '' : `, ${n(phase.refused)} refused`);
  const rows: Row[] = [
    [
      `pgbench TPC-B-like, ${s.clients} clients${pg === null ? '' : `, scale ${pg.scale}`} (reference)`,
      pg === null ? 'missing (see above)' : `${n(pg.tps)} tps, latency ${ms(pg.latencyMs ?? 0)} ms`,
      pg === null ? 'n/a' : '1.00×',
      'reference',
      '',
    ],
    [
      `postTransaction, ${s.clients} clients, uniform over ${n(s.accounts)} accounts`,
      `${n(report.single.tps)} tps (${latency(report.single)}${refusals(report.single)})`,
      `${ratio(report.ratios.singleToPgbench)} pgbench`,
      goal('single'),
      met('single'),
    ],
    [
      `postTransactions, ${n(s.bulkSize)} per call, ${s.bulkConnections} clients`,
      `${n(report.bulk.tps)} tps (${(report.bulk.okResponses / report.bulk.seconds).toFixed(1)} calls/s, ` +
        `p50 ${ms(report.bulk.latencyMs.p50)} ms; server committed ${n(report.bulk.committedTps)}/s${refusals(report.bulk)})`,
      `${ratio(report.ratios.bulkToPgbench)} pgbench`,
      goal('bulk'),
      met('bulk'),
    ],
    [
      `hot: ${(report.settings as { hotPercent: number }).hotPercent}% of transfers credit one account, ${s.clients} clients`,
      `${n(report.hot.tps)} tps (${latency(report.hot)}${refusals(report.hot)})`,
      `${ratio(report.ratios.hotToUniform)} uniform`,
      goal('hot'),
      met('hot'),
    ],
  ];
  for (const read of report.history.page) {
    rows.push([
      `history page at ${n(report.history.entries)} entries, ${read.clients} client${read.clients === 1 ? '' : 's'}`,
      `p50 ${ms(read.p50Ms)} ms, p99 ${ms(read.p99Ms)} ms (${n(read.perSecond)}/s${read.failed > 0 ? `, ${read.failed} failed` : ''})`,
      '',
      read.clients === 1 ? goal('history') : '',
      read.clients === 1 ? met('history') : '',
    ]);
  }
  for (const read of report.history.balance) {
    rows.push([
      `balance read at ${n(report.history.entries)} entries, ${read.clients} client${read.clients === 1 ? '' : 's'}`,
      `p50 ${ms(read.p50Ms)} ms, p99 ${ms(read.p99Ms)} ms (${n(read.perSecond)}/s${read.failed > 0 ? `, ${read.failed} failed` : ''})`,
      '',
      '',
      '',
    ]);
  }
  rows.push(
    [
      'server RSS, most under load',
      `${report.memory.maxRssUnderLoadMb ?? '–'} MB (idle after setup: ${report.memory.idleRssMb ?? '–'} MB)`,
      '',
      goal('memory'),
      met('memory'),
    ],
    [
      `history build: ${n(s.bulkSize)} per call, all on one account`,
      `${n(report.history.build.tps)} tps`,
      `${ratio(pg === null ? null : report.history.build.tps / pg.tps)} pgbench`,
      '',
      '',
    ],
    [
      `grouped write: ${n(report.group.size)} transfers of one authority, one DB transaction (applyGroup in-process)`,
      `${n(report.group.tps)} tps (applied and committed in ${report.group.applySeconds.toFixed(1)} s, built in ` +
        `${report.group.buildSeconds.toFixed(2)} s; ${n(report.group.written)} of the authority read back; ` +
        `bench RSS ${report.group.rssBeforeMb ?? '–'} → ${report.group.maxRssMb ?? '–'} MB at most)`,
      `${ratio(pg === null ? null : report.group.tps / pg.tps)} pgbench`,
      '',
      '',
    ],
    ...report.modules.flatMap((module) =>
      module.figures.map((figure) => [
        `${module.name}: ${figure.label}`,
        figure.value,
        '',
        '',
        module.valid ? '' : 'VOID',
      ]),
    ),
    [
      'invariant verifier over everything written',
      report.verification.ok
        ? `all hold: ${n(report.verification.transactions)} transactions, ${n(report.verification.entries)} entries (${report.verification.seconds.toFixed(0)} s)`
        : `BROKEN: ${report.verification.invariantsBroken.map((item) => item.invariant).join('; ')}`,
      '',
      'all hold',
      report.verification.ok ? 'met' : 'VOID',
    ],
  );
  return { header: ['Measurement', 'Result', 'Ratio', 'Target', 'Status'], rows };
}

function timeRows(report: BenchReport): { header: Row; rows: Row[] } {
  const phase = (name: string, item: PhaseReport): Row => [
    name,
    n(item.tps),
    item.meanBatchSize === null ? '–' : item.meanBatchSize.toFixed(1),
    pct(item.cpu.serverPercent),
    pct(item.cpu.postgresPercent),
    pct(item.cpu.loadPercent),
    perOp(item.cpu.serverMsPerOp),
    perOp(item.cpu.postgresMsPerOp),
  ];
  const rows: Row[] = [];
  if (report.pgbench !== null) {
    const pg = report.pgbench;
    rows.push([
      'pgbench',
      n(pg.tps),
      '1',
      '–',
      pct(pg.cpu.postgresPercent),
      pct(pg.cpu.loadPercent),
      '–',
      perOp(pg.cpu.postgresMsPerOp),
    ]);
  }
  rows.push(
    phase('single', report.single),
    phase('bulk', report.bulk),
    phase('hot', report.hot),
    phase('history build', report.history.build),
    [
      'grouped write (in-process)',
      n(report.group.tps),
      n(report.group.size),
      pct(report.group.cpu.serverPercent),
      pct(report.group.cpu.postgresPercent),
      '–',
      perOp(report.group.cpu.serverMsPerOp),
      perOp(report.group.cpu.postgresMsPerOp),
    ],
  );
  for (const read of [...report.history.page, ...report.history.balance]) {
    const kind = report.history.page.includes(read) ? 'history page' : 'balance';
    rows.push([
      `${kind}, ${read.clients}c`,
      `${n(read.perSecond)}/s`,
      '–',
      pct(read.cpu.serverPercent),
      pct(read.cpu.postgresPercent),
      pct(read.cpu.loadPercent),
      perOp(read.cpu.serverMsPerOp),
      perOp(read.cpu.postgresMsPerOp),
    ]);
  }
  return {
    header: [
      'Phase',
      'tps',
      'transfers per DB tx',
      'server CPU',
      'PostgreSQL CPU',
      'load generator CPU',
      'server CPU ms/op',
      'PostgreSQL CPU ms/op',
    ],
    rows,
  };
}

function textTable(table: { header: Row; rows: Row[] }): string {
  const all = [table.header, ...table.rows];
  const widths = table.header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: Row): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(table.header), widths.map((width) => '-'.repeat(width)).join('  '), ...table.rows.map(line)].join('\n');
}

function markdownTable(table: { header: Row; rows: Row[] }): string {
  const line = (row: Row): string => `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)].join('\n');
}

export function machineLine(report: BenchReport): string {
  const m = report.machine as {
    cpuModel: string | null;
    cores: number;
    memoryGb: number;
    loadAverageAtStart: number[];
    node: string;
    postgres: { version: string; source: string; settings: Record<string, string> };
    pgbench: { version: string; path: string; source: string } | null;
    server: { poolSize: number; coalescing: Record<string, string> };
  };
  const settings = m.postgres.settings;
  const busy =
    (m.loadAverageAtStart[0] ?? 0) > m.cores * 0.5
      ? ` (BUSY: other work was running on this machine, so every figure is lower than on a quiet one; ` +
        `the ratios, taken in the same run, suffer less)`
      : '';
  return [
    `${m.cpuModel ?? 'unknown CPU'}, ${m.cores} cores, ${m.memoryGb} GB; load average at start ` +
      `${m.loadAverageAtStart.map((value) => value.toFixed(2)).join(' ')}${busy}`,
    `Node ${m.node}; PostgreSQL ${m.postgres.version} (${m.postgres.source}): shared_buffers ${settings['shared_buffers']}, ` +
      `synchronous_commit ${settings['synchronous_commit']}, fsync ${settings['fsync']}, ` +
      `max_connections ${settings['max_connections']}, full_page_writes ${settings['full_page_writes']}, ` +
      `max_wal_size ${settings['max_wal_size']}, work_mem ${settings['work_mem']}`,
    m.pgbench === null ? 'pgbench: missing' : `${m.pgbench.version} at ${m.pgbench.path} (${m.pgbench.source})`,
    `server: DATABASE_POOL_SIZE ${m.server.poolSize}, coalescing ${Object.entries(m.server.coalescing)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}`,
  ].join('\n');
}

export function printReport(report: BenchReport): void {
  const out = process.stdout;
  out.write('\n');
  out.write(`Commonwealth Ledger bench (${report.mode}), ${report.date}\n`);
  out.write(`${machineLine(report)}\n\n`);
  out.write(`${textTable(mainRows(report))}\n\n`);
  out.write('Where the time goes (CPU as % of one core, over each phase):\n');
  out.write(`${textTable(timeRows(report))}\n\n`);
  if (!report.valid) out.write(`THIS RUN IS VOID: ${report.voidReason ?? ''}\n\n`);
  out.write(`${JSON.stringify(report)}\n`);
}

export async function writeResultsFile(file: string, report: BenchReport, command: string): Promise<void> {
  const targets = report.targets
    .map((target) => `- ${target.goal} (${target.name}): ${target.value} — **${status(target.met)}**`)
    .join('\n');
  const text = `# Bench results

The latest run of \`${command}\` (written by bench/run.ts; do not edit by hand).

- Date: ${report.date}
- Mode: ${report.mode}${report.valid ? '' : ` — **VOID**: ${report.voidReason ?? ''}`}

## Machine

${machineLine(report)
  .split('\n')
  .map((line) => `- ${line}`)
  .join('\n')}
${report.pgbenchMissing === null ? '' : `\n> ${report.pgbenchMissing.split('\n').join('\n> ')}\n`}
## Figures

${markdownTable(mainRows(report))}

## Targets

${targets}

## Where the time goes

CPU as a share of one core over each phase (server: the Node process; PostgreSQL: the postmaster with all its
backends; load generator: the bench process, autocannon and pgbench included; for the grouped write, server is
the bench process, which runs the service in-process), and CPU milliseconds per applied transaction (per read
for the reads). "Transfers per DB tx" is the mean number of ledger
transactions written per database transaction.

${markdownTable(timeRows(report))}

## JSON

\`\`\`json
${JSON.stringify(report)}
\`\`\`
`;
  await writeFile(file, text);
}
