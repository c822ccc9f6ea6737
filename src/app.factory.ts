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
  refuseMalformedGraphQLBodies(app);
  return app;
}

/**
 * A GraphQL POST body must carry its query as a string; Mercurius would fail on anything else with an
 * internal error, so such a request is answered here as the client's mistake.
 */
function refuseMalformedGraphQLBodies(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preValidation', async (request, reply) => {
      if (request.method !== 'POST' || request.url.split('?')[0] !== '/graphql') return;
      const body = request.body as { query?: unknown } | null | undefined;
      const batch = Array.isArray(body);
      if (!batch && (typeof body !== 'object' || body === null || typeof body.query !== 'string')) {
        await reply.status(400).send({
          data: null,
          errors: [
            {
              message: 'The request body must be a JSON object with a string "query"',
              extensions: { code: 'VALIDATION_FAILED', details: { reason: 'INVALID_REQUEST' } },
            },
          ],
        });
      }
    });
}

function logLevelsFrom(level: AppConfig['logLevel']): ('error' | 'warn' | 'log' | 'debug' | 'verbose')[] {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1);
}
