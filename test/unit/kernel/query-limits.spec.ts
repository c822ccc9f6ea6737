/**
 * Goal: the query-limit rules refuse documents too deep, with too many aliases, too costly, or asking for
 * introspection when it is off, in the API's error shape, and let the standard introspection query through.
 * Method: graphql's own validate over a small recursive schema with a paginated list; worked examples, and
 * a fast-check property for depth.
 */
import fc from 'fast-check';
import { buildSchema, getIntrospectionQuery, parse, validate, type GraphQLError, type ValidationRule } from 'graphql';
import {
  QUERY_LIMITS,
  introspectionDisabledRule,
  maxAliasesRule,
  maxCostRule,
  maxDepthRule,
  queryLimitRules,
} from '../../../src/kernel/graphql/query-limits.js';

const schema = buildSchema(`
  type Item {
    id: ID!
    name: String
    child: Item
    items(first: Int): [Item!]!
    pagedByDefault(first: Int = 50): [Item!]!
  }
  type Query {
    item: Item
    items(first: Int): [Item!]!
  }
`);

function errorsOf(document: string, rules: readonly ValidationRule[]): readonly GraphQLError[] {
  return validate(schema, parse(document), rules);
}

function detailsOf(document: string, rules: readonly ValidationRule[]): unknown[] {
  return errorsOf(document, rules).map((error) => error.extensions);
}

/**
 * `{ item { child { … { id } } } }`, `depth` fields deep in all; where `shapes` says so, a level sits in an
 * inline fragment, or carries a `__typename` (neither adds depth).
 */
function nested(depth: number, shapes: readonly ('plain' | 'inline' | 'typename')[] = []): string {
  let selection = 'id';
  for (let level = depth - 1; level >= 2; level -= 1) {
    const shape = shapes[level] ?? 'plain';
    selection = `child { ${selection} }`;
    if (shape === 'inline') selection = `... on Item { ${selection} }`;
    if (shape === 'typename') selection = `__typename ${selection}`;
  }
  return `{ item { ${selection} } }`;
}

describe('QUERY_LIMITS', () => {
  it.each([
    ['the default introspection query', getIntrospectionQuery()],
    [
      'the introspection query with every option',
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }),
    ],
  ])('let %s through (depth, aliases and cost)', (_name, query) => {
    expect(errorsOf(query, queryLimitRules({ introspection: true }))).toEqual([]);
  });

  it('are exactly as deep as the introspection query needs', () => {
    expect(errorsOf(getIntrospectionQuery(), [maxDepthRule(QUERY_LIMITS.maxDepth - 1)])).toHaveLength(1);
  });
});

describe('maxDepthRule', () => {
  const rule = maxDepthRule(3);

  it('counts field nesting per operation, leaves included', () => {
    expect(errorsOf('{ item { child { id } } }', [rule])).toEqual([]);
    expect(detailsOf('query Deep { item { child { child { id } } } }', [rule])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_DEEP', limit: 3, actual: 4 } },
    ]);
    expect(errorsOf('query Deep { item { child { child { id } } } }', [rule])[0]).toMatchObject({
      message: 'Operation "Deep" nests fields 4 deep; the limit is 3.',
      locations: [{ line: 1, column: 1 }],
    });
  });

  it('does not count __typename', () => {
    expect(errorsOf('{ item { child { __typename id } } }', [rule])).toEqual([]);
    expect(errorsOf('{ item { child { child { __typename } } } }', [rule])).toEqual([]);
  });

  it('follows fragment spreads and inline fragments', () => {
    const document = `
      { item { ...Deeper } }
      fragment Deeper on Item { child { ... on Item { child { id } } } }
    `;
    expect(detailsOf(document, [rule])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_DEEP', limit: 3, actual: 4 } },
    ]);
  });

  it('judges each operation of a document on its own', () => {
    const document = `
      query Shallow { item { id } }
      query Deep { item { child { child { id } } } }
    `;
    expect(errorsOf(document, [rule]).map((error) => error.message)).toEqual([
      'Operation "Deep" nests fields 4 deep; the limit is 3.',
    ]);
  });

  it('ends on a fragment cycle (graphql reports the cycle itself)', () => {
    const document = `
      { item { ...A } }
      fragment A on Item { child { ...B } }
      fragment B on Item { child { ...A } }
    `;
    expect(errorsOf(document, [maxDepthRule(100)])).toEqual([]);
    expect(errorsOf(document, [maxDepthRule(1)])).toHaveLength(1);
  });

  it('measures each fragment once: spreads doubling at every level stay fast', () => {
    const fragments = Array.from(
      { length: 40 },
      (_, level) => `fragment F${level} on Item { child { ...F${level + 1} } again: child { ...F${level + 1} } }`,
    );
    const document = `{ item { ...F0 } } ${fragments.join(' ')} fragment F40 on Item { id }`;
    const started = Date.now();
    expect(detailsOf(document, [maxDepthRule(100)])).toEqual([]);
    expect(detailsOf(document, [maxCostRule(100)])).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('measures without recursion: 1,000 nested fields, a chain of 10,000 fragments', () => {
    expect(detailsOf(nested(1000), [maxDepthRule(15), maxCostRule(20_000)])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_DEEP', limit: 15, actual: 1000 } },
    ]);
    const chain = Array.from(
      { length: 10_000 },
      (_, link) => `fragment F${link} on Item { child { ...F${link + 1} } }`,
    );
    const document = `{ item { ...F0 } } ${chain.join(' ')} fragment F10000 on Item { id }`;
    expect(detailsOf(document, [maxDepthRule(15), maxCostRule(20_000)])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_DEEP', limit: 15, actual: 10_002 } },
    ]);
  });

  it('accepts a document iff its nesting is within the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.constantFrom('plain' as const, 'inline' as const, 'typename' as const), { maxLength: 40 }),
        (depth, limit, shapes) => {
          const errors = errorsOf(nested(depth, shapes), [maxDepthRule(limit)]);
          expect(errors.length === 0).toBe(depth <= limit);
          if (depth > limit) {
            expect(errors[0]?.extensions).toEqual({
              code: 'VALIDATION_FAILED',
              details: { reason: 'QUERY_TOO_DEEP', limit, actual: depth },
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('maxAliasesRule', () => {
  const aliased = (count: number) => Array.from({ length: count }, (_, index) => `a${index}: item { id }`).join(' ');

  it('allows up to the limit', () => {
    expect(errorsOf(`{ ${aliased(3)} }`, [maxAliasesRule(3)])).toEqual([]);
  });

  it('refuses an alias flood, pointing at the first alias over the limit', () => {
    const errors = errorsOf(`{ ${aliased(QUERY_LIMITS.maxAliases + 5)} }`, [maxAliasesRule(QUERY_LIMITS.maxAliases)]);
    expect(errors.map((error) => error.extensions)).toEqual([
      {
        code: 'VALIDATION_FAILED',
        details: { reason: 'TOO_MANY_ALIASES', limit: QUERY_LIMITS.maxAliases, actual: QUERY_LIMITS.maxAliases + 5 },
      },
    ]);
    expect(errors[0]?.nodes?.[0]).toMatchObject({ alias: { value: `a${QUERY_LIMITS.maxAliases}` } });
  });

  it('counts aliases across the document, in fragments once however often they are spread', () => {
    const document = `
      query One { a: item { ...Named } b: item { ...Named } }
      query Two { c: item { id } }
      fragment Named on Item { x: name y: name }
    `;
    expect(detailsOf(document, [maxAliasesRule(5)])).toEqual([]);
    expect(detailsOf(document, [maxAliasesRule(4)])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'TOO_MANY_ALIASES', limit: 4, actual: 5 } },
    ]);
  });
});

describe('maxCostRule', () => {
  it('costs each field 1, multiplying a selection by a literal first', () => {
    // items 1 + 10 × (id 1 + name 1) = 21
    expect(errorsOf('{ items(first: 10) { id name } }', [maxCostRule(21)])).toEqual([]);
    expect(detailsOf('{ items(first: 10) { id name } }', [maxCostRule(20)])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_COSTLY', limit: 20, actual: 21 } },
    ]);
  });

  it('refuses nested pages of 100 (1 + 100 × (1 + 100 × (1 + 100 × 1)) = 1,010,101)', () => {
    const document = '{ items(first: 100) { items(first: 100) { items(first: 100) { id } } } }';
    expect(detailsOf(document, [maxCostRule(QUERY_LIMITS.maxCost)])).toEqual([
      {
        code: 'VALIDATION_FAILED',
        details: { reason: 'QUERY_TOO_COSTLY', limit: QUERY_LIMITS.maxCost, actual: 1_010_101 },
      },
    ]);
  });

  it('assumes the largest page for a variable first, and the schema default for an omitted one', () => {
    expect(detailsOf('query($n: Int) { items(first: $n) { id } }', [maxCostRule(1)])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_COSTLY', limit: 1, actual: 201 } },
    ]);
    expect(detailsOf('{ item { pagedByDefault { id } } }', [maxCostRule(1)])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_COSTLY', limit: 1, actual: 52 } },
    ]);
  });

  it('multiplies a list without first by 1', () => {
    // items 1 + 1 × (child 1 + 1 × id 1) = 3
    expect(detailsOf('{ items { child { id } } }', [maxCostRule(2)])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_COSTLY', limit: 2, actual: 3 } },
    ]);
  });

  it('expands fragments, in context, and ends on a cycle', () => {
    const document = `
      { items(first: 10) { ...Page } }
      fragment Page on Item { items(first: 10) { ... on Item { id } } }
    `;
    // 1 + 10 × (1 + 10 × 1) = 111
    expect(detailsOf(document, [maxCostRule(110)])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_COSTLY', limit: 110, actual: 111 } },
    ]);
    const cycle = `
      { item { ...A } }
      fragment A on Item { child { ...B } }
      fragment B on Item { child { ...A } }
    `;
    expect(errorsOf(cycle, [maxCostRule(100)])).toEqual([]);
  });
});

describe('introspectionDisabledRule', () => {
  it('refuses __schema and __type once each, not every field under them', () => {
    const document = '{ __schema { queryType { name } types { name } } __type(name: "Item") { name } }';
    expect(errorsOf(document, [introspectionDisabledRule]).map((error) => error.message)).toEqual([
      'Introspection is disabled; the query asks for "__schema".',
      'Introspection is disabled; the query asks for "__type".',
    ]);
    expect(detailsOf('{ __schema { queryType { name } } }', [introspectionDisabledRule])).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'INTROSPECTION_DISABLED' } },
    ]);
  });

  it('allows __typename', () => {
    expect(errorsOf('{ __typename item { __typename id } }', [introspectionDisabledRule])).toEqual([]);
  });

  it('is among the rules only when introspection is off', () => {
    expect(queryLimitRules({ introspection: false })).toContain(introspectionDisabledRule);
    expect(queryLimitRules({ introspection: true })).not.toContain(introspectionDisabledRule);
    expect(errorsOf(getIntrospectionQuery(), queryLimitRules({ introspection: false }))).toHaveLength(1);
  });
});
