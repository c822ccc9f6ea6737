import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';

/** GraphQL requests are small; a large body is refused before it is parsed. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the application (used by main.ts and by the end-to-end tests alike). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
    { logger: new ConsoleLogger({ json: true, logLevels: logLevelsFrom(config.logLevel) }) },
  );
  app.enableShutdownHooks();
  return app;
}

function logLevelsFrom(level: AppConfig['logLevel']): ('error' | 'warn' | 'log' | 'debug' | 'verbose')[] {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1);
}
