import { declareReasons } from './domain-error.js';

/** Reasons raised by the kernel: the request's shape, scalars, ids, dates, pages and the query limits. */
export const KERNEL_ERRORS = declareReasons('kernel', {
  INVALID_REQUEST: ['VALIDATION_FAILED', 'The request is not a GraphQL request that fits the schema.'],
  INVALID_VALUE: ['VALIDATION_FAILED', 'A value does not fit its type (graphql-js coercion).'],
  INVALID_INPUT: ['VALIDATION_FAILED', 'Input fields break their constraints; `details.fields` names each one.'],
  INVALID_AMOUNT: ['VALIDATION_FAILED', 'An amount is not a decimal string of whole minor units, such as "1250".'],
  AMOUNT_OUT_OF_RANGE: ['VALIDATION_FAILED', 'An amount is outside the signed 64-bit range.'],
  INVALID_INT64: ['VALIDATION_FAILED', 'A counter is not a non-negative 64-bit integer as a decimal string.'],
  INVALID_JSON_OBJECT: [
    'VALIDATION_FAILED',
    'A JSONObject value is not a JSON object (a list, a scalar or null), or nests over 16 levels or 10 000 values.',
  ],
  INVALID_ID: ['VALIDATION_FAILED', 'An id is not a UUID; `details.field` names it.'],
  INVALID_DATE: ['VALIDATION_FAILED', 'A date-time is not RFC 3339 with an offset, or outside the years 1 to 9999.'],
  INVALID_CURSOR: ['VALIDATION_FAILED', 'A page cursor was not produced by this list.'],
  QUERY_TOO_DEEP: [
    'VALIDATION_FAILED',
    'The query nests fields deeper than allowed (`details.limit`, `details.actual`).',
  ],
  TOO_MANY_ALIASES: ['VALIDATION_FAILED', 'The document has more aliased fields than allowed.'],
  QUERY_TOO_COSTLY: ['VALIDATION_FAILED', 'The estimated cost of the query is over the limit.'],
  INTROSPECTION_DISABLED: ['VALIDATION_FAILED', 'Introspection is switched off on this server.'],
  TOO_MANY_OPERATIONS: ['VALIDATION_FAILED', 'A batch (JSON array) holds more operations than allowed.'],
  BODY_TOO_LARGE: ['VALIDATION_FAILED', 'The request body is over 1 MiB (HTTP 413).'],
  UNSUPPORTED_MEDIA_TYPE: ['VALIDATION_FAILED', 'The request is not JSON (HTTP 415).'],
  NUL_CHARACTER: ['VALIDATION_FAILED', 'A string holds the NUL character (U+0000), which cannot be stored.'],
  PERSON_REQUIRED: ['FORBIDDEN', 'The operation needs a person signed in; an API token cannot do it.'],
  INTERNAL: ['INTERNAL_SERVER_ERROR', 'A fault on the server; it is logged in full there, and clients see no details.'],
});
