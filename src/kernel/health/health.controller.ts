import { Controller, Get, HttpCode, Inject, Injectable, Logger, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../graphql/request-principal.js';
import { SchedulerService } from '../scheduling/scheduler.service.js';

/** What a module adds to /health (the ledger: its last books check); plain JSON, nothing private. */
export type HealthProbe = () => Promise<Record<string, unknown>>;

/** The sections modules add to /health. */
@Injectable()
export class HealthProbes {
  readonly probes = new Map<string, HealthProbe>();

  add(section: string, probe: HealthProbe): void {
    this.probes.set(section, probe);
  }
}

/**
 * Liveness and readiness in one: the process answers, and so does its database (503 when it does not);
 * with what scheduled work is due, queued, running, retrying and failed, and what modules add.
 */
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(HealthProbes) private readonly probes: HealthProbes,
  ) {}

  @Get()
  @HttpCode(200)
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const started = process.hrtime.bigint();
    let database: 'up' | 'down' = 'up';
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      database = 'down';
    }
    const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (database === 'down') void reply.status(503);
    const sections: Record<string, unknown> = {};
    if (database === 'up') {
      sections['scheduler'] = await this.section(() => this.scheduler.counts());
      for (const [name, probe] of this.probes.probes) sections[name] = await this.section(probe);
    }
    return {
      status: database === 'up' ? 'ok' : 'degraded',
      process: { uptimeSeconds: Math.round(process.uptime()), rssBytes: process.memoryUsage().rss },
      database: { status: database, latencyMs: Math.round(latencyMs * 100) / 100 },
      ...sections,
    };
  }

  private async section(probe: () => Promise<object>): Promise<object> {
    try {
      return await probe();
    } catch (error) {
      this.logger.error(`health probe failed: ${error instanceof Error ? error.message : String(error)}`);
      return { status: 'unknown' };
    }
  }
}
