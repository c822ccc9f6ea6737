import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../graphql/request-principal.js';

/** Liveness and readiness in one: the process answers, and so does its database. */
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

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
    return {
      status: database === 'up' ? 'ok' : 'degraded',
      process: { uptimeSeconds: Math.round(process.uptime()), rssBytes: process.memoryUsage().rss },
      database: { status: database, latencyMs: Math.round(latencyMs * 100) / 100 },
    };
  }
}
