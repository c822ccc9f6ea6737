import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/**
 * Passwords: argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), encoded in the PHC string
 * format. The hashing runs in worker threads, because each hash takes a tenth of a second of CPU that must
 * not stall the requests moving money. The argon2id is hash-wasm's WebAssembly build: no native addon, so
 * nothing to compile or trust at install time.
 */
const ARGON2_PARAMETERS = { parallelism: 1, iterations: 2, memorySize: 19_456, hashLength: 32 } as const;
const WORKERS = 2;
/** Workers (each an engine with its own heap) are started on demand and stopped after this long unused. */
const IDLE_MS = 30_000;

/** The worker's whole program: hash or verify, one message at a time. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { argon2id, argon2Verify } = require(workerData.hashWasm);
parentPort.on('message', async ({ id, task, password, salt, hash, parameters }) => {
  try {
    const result = task === 'hash'
      ? await argon2id({ password, salt: Buffer.from(salt, 'base64'), ...parameters, outputType: 'encoded' })
      : await argon2Verify({ password, hash });
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});`;

type Task = { task: 'hash'; password: string; salt: string } | { task: 'verify'; password: string; hash: string };

interface Pending {
  resolve(value: string | boolean): void;
  reject(error: Error): void;
}

@Injectable()
export class PasswordHasher implements OnModuleDestroy {
  private readonly hashWasm = createRequire(import.meta.url).resolve('hash-wasm');
  private workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  /** A hash of no one's password: unknown emails are verified against it, so that both take as long. */
  private decoy: Promise<string> | null = null;

  async hash(password: string): Promise<string> {
    return (await this.run({ task: 'hash', password, salt: randomBytes(16).toString('base64') })) as string;
  }

  async verify(storedHash: string | null, password: string): Promise<boolean> {
    this.decoy ??= this.hash(randomBytes(24).toString('base64url'));
    const hash = storedHash ?? (await this.decoy);
    const matches = (await this.run({ task: 'verify', password, hash }).catch(() => false)) as boolean;
    return storedHash !== null && matches;
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopWorkers();
  }

  private run(task: Task): Promise<string | boolean> {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.workers.length === 0) this.workers = Array.from({ length: WORKERS }, () => this.startWorker());
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...task, parameters: ARGON2_PARAMETERS });
    });
  }

  private startWorker(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { hashWasm: this.hashWasm } });
    worker.on('message', (message: { id: number; result?: string | boolean; error?: string }) => {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) pending?.reject(new Error(`password hashing failed: ${message.error}`));
      else pending?.resolve(message.result as string | boolean);
      if (this.pending.size === 0) {
        this.idleTimer = setTimeout(() => void this.stopWorkers(), IDLE_MS);
        this.idleTimer.unref();
      }
    });
    worker.unref();
    return worker;
  }

  private async stopWorkers(): Promise<void> {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const stopping = this.workers;
    this.workers = [];
    await Promise.all(stopping.map((worker) => worker.terminate()));
  }
}
