import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GraphQLFormattedError } from 'graphql';
import { AppModule } from './app.module.js';
import type { AppConfig } from './kernel/config/app-config.js';
import type { ErrorReason } from './kernel/errors/domain-error.js';
import { KERNEL_ERRORS } from './kernel/errors/kernel.errors.js';
import { serveGraphiql } from './kernel/graphql/graphiql.js';

/** GraphQL requests are small; a large body is refused before it is parsed. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/** Each operation of a batch runs as its own request would; the cap keeps one request's work bounded. */
const MAX_BATCHED_OPERATIONS = 10;

/** Builds the application (used by main.ts and by the end-to-end tests alike). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
    { logger: new ConsoleLogger({ json: true, logLevels: logLevelsFrom(config.logLevel) }) },
  );
  app.enableShutdownHooks();
  refuseMalformedGraphQLBodies(app);
  if (config.graphqlIde) serveGraphiql(app.getHttpAdapter().getInstance());
  return app;
}

/**
 * A GraphQL POST body must carry its query as a string; Mercurius would fail on anything else with an
 * internal error, so such a request is answered here as the client's mistake. A batch (a JSON array) is
 * held to MAX_BATCHED_OPERATIONS, each of which must be such a body.
 */
function refuseMalformedGraphQLBodies(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preValidation', async (request, reply) => {
      if (request.method !== 'POST' || request.url.split('?')[0] !== '/graphql') return;
      const refusal = refusalOf(request.body);
      if (refusal !== undefined) await reply.status(400).send({ data: null, errors: [refusal] });
    });
}

function refusalOf(body: unknown): GraphQLFormattedError | undefined {
  if (Array.isArray(body) && body.length > MAX_BATCHED_OPERATIONS) {
    return refusal(
      KERNEL_ERRORS.TOO_MANY_OPERATIONS,
      `A batch may hold at most ${MAX_BATCHED_OPERATIONS} operations, got ${body.length}`,
      {
        limit: MAX_BATCHED_OPERATIONS,
        actual: body.length,
      },
    );
  }
  const operations: unknown[] = Array.isArray(body) ? body : [body];
  if (operations.length === 0 || !operations.every(isOperation)) {
    return refusal(
      KERNEL_ERRORS.INVALID_REQUEST,
      `The request body must be a JSON object with a string "query", or an array of 1 to ${MAX_BATCHED_OPERATIONS} of them`,
    );
  }
  if (!containsNul(body)) return undefined;
  // PostgreSQL cannot store U+0000 in text; no name, memo or code needs it.
  return refusal(KERNEL_ERRORS.NUL_CHARACTER, 'Strings may not contain the NUL character (U+0000)');
}

function refusal(reason: ErrorReason, message: string, figures: Record<string, number> = {}): GraphQLFormattedError {
  return { message, extensions: { code: reason.code, details: { reason: reason.reason, ...figures } } };
}

/** Whether any string in a parsed JSON body holds U+0000; iterative, so that deep bodies cannot overflow. */
function containsNul(body: unknown): boolean {
  const pending: unknown[] = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) pending.push(key, item);
    }
  }
  return false;
}

function isOperation(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { query?: unknown }).query === 'string';
}

function logLevelsFrom(level: AppConfig['logLevel']): ('error' | 'warn' | 'log' | 'debug' | 'verbose')[] {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1);
}
