import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resource figures from Linux's /proc: resident memory of the server, and CPU seconds of the server, of
 * PostgreSQL (the postmaster, its live children, and the children it has reaped) and of this process (the
 * load generator, plus the children it has reaped, such as pgbench). Elsewhere every figure is null.
 */
const CLOCK_TICKS_PER_SECOND = 100;

export function rssBytes(pid: number): number | null {
  const status = read(`/proc/${pid}/status`);
  const match = status === null ? null : /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match?.[1] === undefined ? null : Number(match[1]) * 1024;
}

interface ProcStat {
  readonly ppid: number;
  /** utime + stime, in seconds. */
  readonly own: number;
  /** cutime + cstime: reaped children, in seconds. */
  readonly reaped: number;
}

function stat(pid: number | 'self'): ProcStat | null {
  const text = read(`/proc/${pid}/stat`);
  if (text === null) return null;
  // The command name (field 2) is in parentheses and may hold spaces: split after its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number): number => Number(fields[n - 3] ?? 0);
  return {
    ppid: field(4),
    own: (field(14) + field(15)) / CLOCK_TICKS_PER_SECOND,
    reaped: (field(16) + field(17)) / CLOCK_TICKS_PER_SECOND,
  };
}

/** CPU seconds a process has used, its threads included (worker threads too). */
export function cpuSeconds(pid: number): number | null {
  return stat(pid)?.own ?? null;
}

/** CPU seconds of this process and of the children it has reaped. */
export function selfCpuSeconds(): number | null {
  const own = stat('self');
  return own === null ? null : own.own + own.reaped;
}

/** CPU seconds of a PostgreSQL server: its postmaster with every backend and helper, live or ended. */
export function postgresCpuSeconds(postmasterPid: number): number | null {
  const postmaster = stat(postmasterPid);
  if (postmaster === null) return null;
  let total = postmaster.own + postmaster.reaped;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const child = stat(Number(entry));
    if (child?.ppid === postmasterPid) total += child.own;
  }
  return total;
}

/** The postmaster's pid, from the first line of postmaster.pid in the data directory (when readable). */
export function postmasterPid(dataDirectory: string): number | null {
  const text = read(`${dataDirectory}/postmaster.pid`);
  const pid = Number(text?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && stat(pid) !== null ? pid : null;
}

export function cpuModel(): string | null {
  const text = read('/proc/cpuinfo');
  return (text === null ? null : /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim()) ?? null;
}

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
