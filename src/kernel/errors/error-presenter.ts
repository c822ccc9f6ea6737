import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, type ErrorCode, type ErrorDetails, type ErrorReason } from './domain-error.js';
import { KERNEL_ERRORS } from './kernel.errors.js';

/**
 * Turns any error that reached GraphQL into the API's shape: `extensions.code` from the closed set and
 * `extensions.details.reason`. Pure, so that every path (resolver errors, variable and scalar coercion,
 * parse and validation errors) is shaped by this one function and unit-tested.
 */
export interface PresentedError {
  readonly formatted: GraphQLFormattedError;
  /** True when the error is ours to fix (a bug or an outage): the caller logs it in full. */
  readonly internal: boolean;
  /** The HTTP status of a request refused before GraphQL ran (413, 415, 400), when there is one. */
  readonly httpStatus?: number;
}

/** Errors the HTTP layer raises before GraphQL runs (body too large, not JSON…), by their code. */
const HTTP_REFUSALS: Readonly<Record<string, ErrorReason>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: KERNEL_ERRORS.BODY_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: KERNEL_ERRORS.UNSUPPORTED_MEDIA_TYPE,
};

export function presentError(error: GraphQLError): PresentedError {
  const domain = findDomainError(error);
  if (domain !== undefined) {
    return { formatted: shape(error, domain.code, error.message, domain.details), internal: false };
  }
  if (
    error.originalError === undefined ||
    error.originalError === null ||
    error.originalError instanceof GraphQLError
  ) {
    // Parse, validation (our query limits included) and coercion errors describe the client's request.
    if (STACK_EXHAUSTED.test(error.message)) {
      // A document nested past what the parser's recursion survives: say so, not what the engine said.
      return {
        formatted: shape(error, 'VALIDATION_FAILED', 'The document nests too deeply', {
          reason: KERNEL_ERRORS.QUERY_TOO_DEEP.reason,
        }),
        internal: false,
      };
    }
    return { formatted: shape(error, 'VALIDATION_FAILED', error.message, requestErrorDetails(error)), internal: false };
  }
  const http = error.originalError as { statusCode?: unknown; code?: unknown; message: string };
  if (typeof http.statusCode === 'number' && http.statusCode >= 400 && http.statusCode < 500) {
    // The HTTP layer refused the request (its body or headers) before GraphQL saw it.
    const refusal =
      (typeof http.code === 'string' ? HTTP_REFUSALS[http.code] : undefined) ?? KERNEL_ERRORS.INVALID_REQUEST;
    return {
      formatted: shape(error, refusal.code, http.message, { reason: refusal.reason }),
      internal: false,
      httpStatus: http.statusCode,
    };
  }
  return {
    formatted: shape(error, KERNEL_ERRORS.INTERNAL.code, 'Internal server error', {
      reason: KERNEL_ERRORS.INTERNAL.reason,
    }),
    internal: true,
  };
}

const STACK_EXHAUSTED = /maximum call stack size exceeded/i;

function findDomainError(error: GraphQLError): DomainError | undefined {
  let cause: unknown = error.originalError;
  for (let depth = 0; depth < 5 && cause !== undefined && cause !== null; depth += 1) {
    if (cause instanceof DomainError) return cause;
    cause = cause instanceof GraphQLError ? cause.originalError : undefined;
  }
  return undefined;
}

/** Our own validation rules (query limits) give their reason and figures; graphql-js's errors give none. */
function requestErrorDetails(error: GraphQLError): ErrorDetails {
  const { code, details } = error.extensions as { code?: unknown; details?: { reason?: unknown } };
  if (code === 'VALIDATION_FAILED' && typeof details?.reason === 'string') return details as ErrorDetails;
  return { reason: (error.path === undefined ? KERNEL_ERRORS.INVALID_REQUEST : KERNEL_ERRORS.INVALID_VALUE).reason };
}

function shape(error: GraphQLError, code: ErrorCode, message: string, details: ErrorDetails): GraphQLFormattedError {
  return {
    message,
    ...(error.locations === undefined ? {} : { locations: error.locations }),
    ...(error.path === undefined ? {} : { path: error.path }),
    extensions: { code, details },
  };
}
