/**
 * Goal: presentError gives every error the API's shape (a closed code, a reason in details), keeps the
 * reason and figures our own validation rules give, and never leaks internals; page cursors round-trip and refuse anything they did not produce. Method: worked
 * examples over hand-built GraphQLErrors, and a fast-check round-trip property for cursors.
 */
import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { DomainError } from '../../../src/kernel/errors/domain-error.js';
import { KERNEL_ERRORS } from '../../../src/kernel/errors/kernel.errors.js';
import { LEDGER_ERRORS } from '../../../src/ledger/ledger.errors.js';
import { presentError } from '../../../src/kernel/errors/error-presenter.js';
import { decodeCursor, decodePositionCursor, encodeCursor, positionKey } from '../../../src/kernel/graphql/cursor.js';

describe('presentError', () => {
  it('shows a DomainError with its code and details, keeping path and locations', () => {
    const domain = new DomainError(LEDGER_ERRORS.CREDIT_LIMIT_EXCEEDED, 'Account would go past its credit limit', {
      accountId: 'a1',
    });
    const error = new GraphQLError(domain.message, { originalError: domain, path: ['postTransaction'] });
    expect(presentError(error)).toEqual({
      internal: false,
      formatted: {
        message: 'Account would go past its credit limit',
        path: ['postTransaction'],
        extensions: { code: 'INSUFFICIENT_FUNDS', details: { reason: 'CREDIT_LIMIT_EXCEEDED', accountId: 'a1' } },
      },
    });
  });

  it("says a document nests too deeply, never what the engine said when the parser's stack ran out", () => {
    const error = new GraphQLError('Maximum call stack size exceeded');
    expect(presentError(error)).toEqual({
      internal: false,
      formatted: {
        message: 'The document nests too deeply',
        extensions: { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_DEEP' } },
      },
    });
  });

  it('finds a DomainError wrapped in another GraphQLError (scalar coercion)', () => {
    const domain = new DomainError(KERNEL_ERRORS.INVALID_AMOUNT, 'Money must be a string');
    const inner = new GraphQLError('inner', { originalError: domain });
    const outer = new GraphQLError('Variable "$amount" got invalid value', { originalError: inner });
    expect(presentError(outer).formatted.extensions).toEqual({
      code: 'VALIDATION_FAILED',
      details: { reason: 'INVALID_AMOUNT' },
    });
    expect(presentError(outer).formatted.message).toBe('Variable "$amount" got invalid value');
  });

  it('keeps the codes of declared reasons', () => {
    const wrap = (e: DomainError) =>
      presentError(new GraphQLError(e.message, { originalError: e })).formatted.extensions;
    expect(wrap(new DomainError(LEDGER_ERRORS.ACCOUNT_NOT_FOUND, 'no', { accountId: 'x' }))).toEqual({
      code: 'NOT_FOUND',
      details: { reason: 'ACCOUNT_NOT_FOUND', accountId: 'x' },
    });
    expect(wrap(new DomainError(LEDGER_ERRORS.ACCOUNT_CLOSED, 'closed'))).toEqual({
      code: 'CONFLICT',
      details: { reason: 'ACCOUNT_CLOSED' },
    });
  });

  it('shows a graphql-js error without an original error as VALIDATION_FAILED / INVALID_REQUEST', () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".');
    const presented = presentError(error);
    expect(presented).toEqual({
      internal: false,
      formatted: {
        message: 'Cannot query field "nope" on type "Query".',
        extensions: { code: 'VALIDATION_FAILED', details: { reason: 'INVALID_REQUEST' } },
      },
    });
    expect('path' in presented.formatted).toBe(false);
  });

  it('keeps the reason and figures of our own validation rules (query limits)', () => {
    const details = { reason: 'QUERY_TOO_DEEP', limit: 15, actual: 16 };
    const error = new GraphQLError('The operation nests fields 16 deep; the limit is 15.', {
      extensions: { code: 'VALIDATION_FAILED', details },
    });
    expect(presentError(error)).toEqual({
      internal: false,
      formatted: {
        message: 'The operation nests fields 16 deep; the limit is 15.',
        extensions: { code: 'VALIDATION_FAILED', details },
      },
    });
    const wrapped = new GraphQLError(error.message, { originalError: error });
    expect(presentError(wrapped).formatted.extensions).toEqual({ code: 'VALIDATION_FAILED', details });
  });

  it.each([
    ['another code', { code: 'GRAPHQL_VALIDATION_FAILED', details: { reason: 'QUERY_TOO_DEEP' } }],
    ['no reason', { code: 'VALIDATION_FAILED', details: { limit: 15 } }],
    ['a reason that is not a string', { code: 'VALIDATION_FAILED', details: { reason: 15 } }],
    ['no details', { code: 'VALIDATION_FAILED' }],
  ])('shows a validation error with %s as INVALID_REQUEST', (_name, extensions) => {
    expect(presentError(new GraphQLError('refused', { extensions })).formatted.extensions).toEqual({
      code: 'VALIDATION_FAILED',
      details: { reason: 'INVALID_REQUEST' },
    });
  });

  it('does not take the extensions of an error from elsewhere (it stays internal)', () => {
    const error = new GraphQLError('boom', {
      originalError: Object.assign(new Error('boom'), {
        extensions: { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_DEEP' } },
      }),
    });
    expect(presentError(error)).toMatchObject({
      internal: true,
      formatted: { extensions: { code: 'INTERNAL_SERVER_ERROR', details: { reason: 'INTERNAL' } } },
    });
  });

  it('shows a graphql-js error on a path as INVALID_VALUE', () => {
    const error = new GraphQLError('Expected non-nullable type', { path: ['account', 'id'] });
    expect(presentError(error).formatted).toMatchObject({
      path: ['account', 'id'],
      extensions: { code: 'VALIDATION_FAILED', details: { reason: 'INVALID_VALUE' } },
    });
  });

  it('shows a refusal of the HTTP layer (body too large, wrong media type) as VALIDATION_FAILED with its status', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(presentError(new GraphQLError(tooLarge.message, { originalError: tooLarge }))).toEqual({
      formatted: {
        message: 'Request body is too large',
        extensions: { code: 'VALIDATION_FAILED', details: { reason: 'BODY_TOO_LARGE' } },
      },
      internal: false,
      httpStatus: 413,
    });
    const notJson = Object.assign(new SyntaxError('Unexpected token'), { statusCode: 400 });
    expect(presentError(new GraphQLError(notJson.message, { originalError: notJson }))).toMatchObject({
      formatted: { extensions: { code: 'VALIDATION_FAILED', details: { reason: 'INVALID_REQUEST' } } },
      httpStatus: 400,
    });
    const serverSide = Object.assign(new Error('boom'), { statusCode: 503 });
    expect(presentError(new GraphQLError('boom', { originalError: serverSide })).internal).toBe(true);
  });

  it('hides an unknown error as INTERNAL_SERVER_ERROR, marked internal, without leaking anything', () => {
    const secret = new Error('password=hunter2 at db.internal:5432');
    const error = new GraphQLError(secret.message, { originalError: secret, path: ['accounts'] });
    const presented = presentError(error);
    expect(presented.internal).toBe(true);
    expect(presented.formatted).toEqual({
      message: 'Internal server error',
      path: ['accounts'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', details: { reason: 'INTERNAL' } },
    });
    const text = JSON.stringify(presented.formatted);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('stack');
    expect(text).not.toContain('at ');
  });
});

describe('page cursors', () => {
  const KEY = /^\d+$/;

  it('round-trip a key under its tag', () => {
    const cursor = encodeCursor('tx', '12345');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('tx', cursor, KEY)).toBe('12345');
  });

  it('read a missing cursor as the first page', () => {
    expect(decodeCursor('tx', null, KEY)).toBeNull();
    expect(decodeCursor('tx', undefined, KEY)).toBeNull();
  });

  it.each([
    ['garbage', '!!!not base64!!!'],
    ['empty', ''],
    ['another tag', encodeCursor('account', '12345')],
    ['a key of the wrong shape', encodeCursor('tx', '12a')],
    ['a tag prefix only', encodeCursor('t', 'x:1')],
  ])('refuse %s: INVALID_CURSOR', (_name, cursor) => {
    let caught: unknown;
    try {
      decodeCursor('tx', cursor, KEY);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: 'INVALID_CURSOR' } });
  });

  it('round-trip any key the pattern accepts (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ minLength: 1 }), (tag, key) => {
        expect(decodeCursor(tag, encodeCursor(tag, key), /^[\s\S]+$/)).toBe(key);
      }),
      { numRuns: 200 },
    );
  });
});

describe('position cursors', () => {
  it('round-trip any instant and UUID', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.uuid(),
        (createdAt, id) => {
          const cursor = encodeCursor('motion', positionKey({ createdAt, id }));
          expect(decodePositionCursor('motion', cursor)).toEqual({ at: createdAt, id });
        },
      ),
    );
  });

  it("refuse an impossible instant, a non-UUID, another list's cursor, and anything hand-made", () => {
    for (const key of [
      '2026-02-30T00:00:00.000Z|0b9c3c1e-2f55-4c0e-9a53-7f2d0f8a1c01',
      '2026-13-01T00:00:00.000Z|0b9c3c1e-2f55-4c0e-9a53-7f2d0f8a1c01',
      '2026-01-01T00:00:00.000Z|------------------------------------',
      '2026-01-01T00:00:00.000Z',
    ]) {
      expect(() => decodePositionCursor('motion', encodeCursor('motion', key))).toThrow(DomainError);
    }
    const other = encodeCursor('assembly', '2026-01-01T00:00:00.000Z|0b9c3c1e-2f55-4c0e-9a53-7f2d0f8a1c01');
    expect(() => decodePositionCursor('motion', other)).toThrow(DomainError);
    expect(decodePositionCursor('motion', null)).toBeNull();
  });
});
