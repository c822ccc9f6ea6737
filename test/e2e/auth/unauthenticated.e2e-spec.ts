/**
 * Goal: deny by default. Every root field of Query and Mutation, except the four marked @Public() (register,
 * login, refreshSession, acceptInvitation), is refused with UNAUTHENTICATED to a caller with no bearer token
 * (MISSING_TOKEN) and to one with a token that is not valid (INVALID_TOKEN); the public ones run (and fail on
 * their inputs, not for want of a token). A refused caller changes nothing: not the ledger, and no person is
 * created. Method: the operations are not listed by hand: the live schema is read by introspection and, for
 * each root field, an operation is built with literal values for its required arguments (walking input
 * objects and lists) and `__typename` as the selection where the field returns an object, so that an
 * operation added later is covered without touching this file.
 */
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
  validate,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { without } from '../../support/databases.js';
import { TestApp, type GraphQLResponse } from '../setup/test-app.js';

/** The operations marked @Public() in the resolvers: anyone may call them without signing in. */
const PUBLIC_OPERATIONS = new Set(['register', 'login', 'refreshSession', 'acceptInvitation']);

/** A literal for each scalar of the schema; an unknown scalar fails the test until it is added here. */
const SCALAR_LITERALS: Record<string, string> = {
  String: '"x"',
  ID: '"00000000-0000-4000-8000-000000000000"',
  Int: '1',
  Boolean: 'true',
  DateTime: '"2026-01-01T00:00:00.000Z"',
  Money: '"1"',
  Int64: '"1"',
  JSONObject: '{}',
};

const GARBAGE_TOKEN = 'not-a-real-token';

/** A GraphQL literal of the type: required input fields only, one element per list. */
function literalOf(type: GraphQLInputType, path: string): string {
  if (isNonNullType(type)) return literalOf(type.ofType, path);
  if (isListType(type)) return `[${literalOf(type.ofType, path)}]`;
  if (isScalarType(type)) {
    const literal = SCALAR_LITERALS[type.name];
    if (literal === undefined) throw new Error(`no literal for the scalar ${type.name} (at ${path})`);
    return literal;
  }
  if (isEnumType(type)) {
    const [first] = type.getValues();
    if (first === undefined) throw new Error(`the enum ${type.name} has no values (at ${path})`);
    return first.name;
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter(
      (field) => isNonNullType(field.type) && field.defaultValue === undefined,
    );
    return `{ ${fields.map((field) => `${field.name}: ${literalOf(field.type, `${path}.${field.name}`)}`).join(', ')} }`;
  }
  throw new Error(`unexpected input type at ${path}`);
}

interface Probe {
  readonly field: string;
  readonly document: string;
}

/** One operation per root field: required arguments as literals, `__typename` under composite types. */
function probesOf(root: GraphQLObjectType | null | undefined, keyword: 'query' | 'mutation'): Probe[] {
  if (root === null || root === undefined) return [];
  return Object.values(root.getFields()).map((field: GraphQLField<unknown, unknown>) => {
    const args = field.args
      .filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)
      .map((arg) => `${arg.name}: ${literalOf(arg.type, `${root.name}.${field.name}(${arg.name})`)}`);
    const argumentList = args.length === 0 ? '' : `(${args.join(', ')})`;
    const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
    return { field: field.name, document: `${keyword} { ${field.name}${argumentList}${selection} }` };
  });
}

describe('calling the API without signing in', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let probes: Probe[];

  beforeAll(async () => {
    app = await TestApp.start();
    // Read as the steward: the walk must not depend on whether introspection is open to anonymous callers.
    const introspection = await app.ok<IntrospectionQuery>(getIntrospectionQuery());
    schema = buildClientSchema(introspection);
    probes = [...probesOf(schema.getQueryType(), 'query'), ...probesOf(schema.getMutationType(), 'mutation')];
  });
  afterAll(async () => {
    await app.close();
  });

  async function personCount(): Promise<number> {
    const [row] = await app.dataSource.query<{ count: string }[]>('SELECT count(*)::text AS count FROM person');
    return Number(row?.count);
  }

  /** Sends every probe with the given bearer and returns the responses, by field. */
  async function walk(token: string | null): Promise<Map<string, GraphQLResponse>> {
    const responses = new Map<string, GraphQLResponse>();
    for (const probe of probes) {
      responses.set(probe.field, await app.graphql(probe.document, {}, { token }));
    }
    return responses;
  }

  function expectRefused(probe: Probe, response: GraphQLResponse, reason: string): void {
    const context = { operation: probe.document, errors: response.errors };
    expect({ ...context, count: response.errors?.length }).toMatchObject({ ...context, count: 1 });
    expect({ ...context, extensions: response.errors?.[0]?.extensions }).toMatchObject({
      ...context,
      extensions: { code: 'UNAUTHENTICATED', details: { reason } },
    });
    expect({ ...context, value: response.data?.[probe.field] ?? null }).toEqual({ ...context, value: null });
  }

  function expectRanAnyway(probe: Probe, response: GraphQLResponse, refusedReason: string): void {
    const refusedForToken = (response.errors ?? []).filter(
      (error) => error.extensions.code === 'UNAUTHENTICATED' && error.extensions.details.reason === refusedReason,
    );
    expect({ operation: probe.document, refusedForToken }).toEqual({ operation: probe.document, refusedForToken: [] });
  }

  it('walks more than 30 operations, the public ones among them', () => {
    expect(probes.length).toBeGreaterThan(30);
    const fields = new Set(probes.map((probe) => probe.field));
    expect([...PUBLIC_OPERATIONS].filter((name) => !fields.has(name))).toEqual([]);
    // Every probe is a document the schema accepts: a walk that built bad literals would only be testing
    // VALIDATION_FAILED (which, coming before the guard, would also hide a missing one).
    const invalid = probes
      .map((probe) => ({
        probe: probe.document,
        errors: validate(schema, parse(probe.document)).map((e) => e.message),
      }))
      .filter((item) => item.errors.length > 0);
    expect(invalid).toEqual([]);
  });

  it.each([
    ['no Authorization header', null, 'MISSING_TOKEN'],
    ['a bearer token that is not valid', GARBAGE_TOKEN, 'INVALID_TOKEN'],
  ] as const)('refuses every operation but the public ones to a caller with %s', async (_label, token, reason) => {
    const ledgerBefore = await app.snapshot();
    const personsBefore = await personCount();
    const responses = await walk(token);
    let refused = 0;
    for (const probe of probes) {
      const response = responses.get(probe.field);
      if (response === undefined) throw new Error(`no response for ${probe.field}`);
      expect({ operation: probe.document, status: response.status }).toEqual({
        operation: probe.document,
        status: 200,
      });
      if (PUBLIC_OPERATIONS.has(probe.field)) {
        expectRanAnyway(probe, response, reason);
      } else {
        expectRefused(probe, response, reason);
        refused += 1;
      }
    }
    expect(refused).toBe(probes.length - PUBLIC_OPERATIONS.size);
    expect(refused).toBeGreaterThan(30);
    // A refused login (a public operation) is counted by the login throttle; nothing else may change.
    expect(without(await app.snapshot(), 'login_throttle')).toEqual(without(ledgerBefore, 'login_throttle'));
    // register and acceptInvitation got "x" for an email and a token: they must have refused, not registered.
    expect(personsBefore).toBe(1);
    expect(await personCount()).toBe(1);
  });
});
