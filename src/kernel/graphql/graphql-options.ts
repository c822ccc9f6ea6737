import { Logger } from '@nestjs/common';
import type { BuildSchemaOptions } from '@nestjs/graphql';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import { MercuriusDriver } from '@nestjs/mercurius';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { AppConfig } from '../config/app-config.js';
import { presentError } from '../errors/error-presenter.js';
import { DateTimeScalar } from './date-time.scalar.js';
import { queryLimitRules } from './query-limits.js';

const logger = new Logger('GraphQL');

/**
 * The most tokens a document may have. Large inputs belong in variables; a huge document could otherwise
 * exhaust the stack in graphql-js's own validation (thousands of chained fragments) before any limit rule.
 */
export const MAX_DOCUMENT_TOKENS = 10_000;

/** How the code-first schema is built, here and by scripts/write-schema.ts: dates are the strict DateTime. */
export const SCHEMA_BUILD_OPTIONS: BuildSchemaOptions = { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] };

/**
 * GraphQL over Mercurius: code-first schema (sorted, with a strict DateTime), errors in the API shape,
 * query limits (and introspection when configured) checked in validation, batches of operations allowed.
 */
export function graphqlOptions(config: AppConfig): MercuriusDriverConfig {
  return {
    driver: MercuriusDriver,
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: SCHEMA_BUILD_OPTIONS,
    path: '/graphql',
    // The IDE is served from installed packages (graphiql.ts): Mercurius's own loads from a CDN.
    graphiql: false,
    errorFormatter: formatErrors,
    validationRules: queryLimitRules({ introspection: config.graphqlIntrospection }),
    // Up to MAX_BATCHED_OPERATIONS per request; the body is checked in app.factory.ts.
    allowBatchedQueries: true,
    graphql: { parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS } },
  };
}

/** Mercurius's error formatter: every error through the one presenter; internal ones logged in full. */
export function formatErrors(execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>): {
  statusCode: number;
  response: ExecutionResult;
} {
  const presented = execution.errors.flatMap(unwrapValidationErrors).map((error) => {
    const presentation = presentError(error);
    if (presentation.internal) logger.error(error.originalError ?? error, (error.originalError ?? error).stack);
    return presentation;
  });
  // A request refused at the HTTP layer keeps its status (413, 415, 400); GraphQL answers keep 200.
  const httpStatus = presented.length === 1 ? presented[0]?.httpStatus : undefined;
  const statusCode = execution.data ? 200 : (httpStatus ?? (execution as { statusCode?: number }).statusCode ?? 200);
  const errors = presented.map((presentation) => presentation.formatted);
  return { statusCode, response: { data: execution.data ?? null, errors: errors as unknown as GraphQLError[] } };
}

/** Mercurius reports a failed validation as one error that carries the list of graphql-js errors. */
function unwrapValidationErrors(error: GraphQLError): GraphQLError[] {
  const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(inner)) return [error];
  return inner.map((item: unknown) =>
    item instanceof GraphQLError ? item : new GraphQLError(String((item as Error).message ?? item)),
  );
}
