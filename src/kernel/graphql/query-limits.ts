import {
  GraphQLError,
  Kind,
  getNamedType,
  isIntrospectionType,
  type ASTNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { ErrorReason } from '../errors/domain-error.js';
import { KERNEL_ERRORS } from '../errors/kernel.errors.js';
import { MAX_PAGE_SIZE } from './page.args.js';

/**
 * Limits on the shape of a GraphQL document, as graphql-js validation rules: a document that would cost
 * too much to run is refused whole, before any resolver runs, instead of being cut off half-way.
 */
export const QUERY_LIMITS = {
  /** The standard introspection query (GraphiQL's) is exactly 15 deep: nine nested `ofType` under `args`. */
  maxDepth: 15,
  maxAliases: 30,
  /** Each field costs 1, times the page size of every list it is under; introspection costs about 230. */
  maxCost: 20_000,
} as const;

/** Depth of field nesting per operation, through fragments; `__typename` adds none. */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context) => {
    const measures = new DefinitionMeasures();
    let level = 0;
    return {
      OperationDefinition: (operation) => measures.start(operation),
      FragmentDefinition: (fragment) => measures.start(fragment),
      Field: {
        enter(field) {
          if (field.name.value === '__typename') return;
          level += 1;
          measures.current.own = Math.max(measures.current.own, level);
        },
        leave(field) {
          if (field.name.value !== '__typename') level -= 1;
        },
      },
      FragmentSpread(spread) {
        measures.current.spreads.push({ name: spread.name.value, at: level });
      },
      Document: {
        leave() {
          const totals = measures.totals((own, spreads) =>
            spreads.reduce((deepest, spread) => Math.max(deepest, spread.at + spread.total), own),
          );
          for (const { operation, total: depth } of totals) {
            if (depth <= maxDepth) continue;
            context.reportError(
              limitError(
                `${operationLabel(operation)} nests fields ${depth} deep; the limit is ${maxDepth}.`,
                operation,
                KERNEL_ERRORS.QUERY_TOO_DEEP,
                { limit: maxDepth, actual: depth },
              ),
            );
          }
        },
      },
    };
  };
}

/** Aliased fields in the whole document, each counted once, fragments included: aliases multiply work. */
export function maxAliasesRule(maxAliases: number): ValidationRule {
  return (context) => {
    let aliases = 0;
    let firstOverLimit: FieldNode | undefined;
    return {
      Field(field) {
        if (field.alias === undefined) return;
        aliases += 1;
        if (aliases === maxAliases + 1) firstOverLimit = field;
      },
      Document: {
        leave() {
          if (firstOverLimit === undefined) return;
          context.reportError(
            limitError(
              `The document has ${aliases} aliased fields; the limit is ${maxAliases}.`,
              firstOverLimit,
              KERNEL_ERRORS.TOO_MANY_ALIASES,
              { limit: maxAliases, actual: aliases },
            ),
          );
        },
      },
    };
  };
}

/**
 * Estimated cost per operation: each field costs 1, times how many items each field it is under may
 * return: that field's literal `first`, `MAX_PAGE_SIZE` when `first` is a variable (a validation rule
 * cannot see variables' values), the schema's default when `first` is omitted, else 1.
 */
export function maxCostRule(maxCost: number): ValidationRule {
  return (context) => {
    const measures = new DefinitionMeasures();
    // How many times a field at this point is resolved, per resolution of the definition it is in.
    const times: number[] = [1];
    const timesHere = () => times[times.length - 1] ?? 1;
    return {
      OperationDefinition: (operation) => measures.start(operation),
      FragmentDefinition: (fragment) => measures.start(fragment),
      Field: {
        enter(field) {
          measures.current.own += timesHere();
          times.push(timesHere() * itemsPerParent(field, context.getFieldDef()));
        },
        leave() {
          times.pop();
        },
      },
      FragmentSpread(spread) {
        measures.current.spreads.push({ name: spread.name.value, at: timesHere() });
      },
      Document: {
        leave() {
          const totals = measures.totals((own, spreads) =>
            spreads.reduce((sum, spread) => sum + spread.at * spread.total, own),
          );
          for (const { operation, total: cost } of totals) {
            if (cost <= maxCost) continue;
            context.reportError(
              limitError(
                `${operationLabel(operation)} has an estimated cost of ${cost}; the limit is ${maxCost}.`,
                operation,
                KERNEL_ERRORS.QUERY_TOO_COSTLY,
                { limit: maxCost, actual: cost },
              ),
            );
          }
        },
      },
    };
  };
}

/**
 * Refuses `__schema` and `__type` (not `__typename`), like graphql's NoSchemaIntrospectionCustomRule but
 * in the API's error shape, and once where the query enters introspection rather than for every field in it.
 */
export const introspectionDisabledRule: ValidationRule = (context) => ({
  Field(field) {
    const type = getNamedType(context.getType());
    const parent = context.getParentType();
    if (type === undefined || !isIntrospectionType(type)) return;
    if (parent && isIntrospectionType(parent)) return;
    context.reportError(
      limitError(
        `Introspection is disabled; the query asks for "${field.name.value}".`,
        field,
        KERNEL_ERRORS.INTROSPECTION_DISABLED,
      ),
    );
  },
});

/** The rules for Mercurius's `validationRules`, with the default limits. */
export function queryLimitRules(options: { introspection: boolean }): ValidationRule[] {
  return [
    maxDepthRule(QUERY_LIMITS.maxDepth),
    maxAliasesRule(QUERY_LIMITS.maxAliases),
    maxCostRule(QUERY_LIMITS.maxCost),
    ...(options.introspection ? [] : [introspectionDisabledRule]),
  ];
}

/** A measure of one operation or fragment on its own, and the measure at each fragment it spreads. */
interface DefinitionMeasure {
  own: number;
  readonly spreads: { readonly name: string; readonly at: number }[];
}

/**
 * Each definition is measured once as graphql's visitor (which does not recurse) passes it; operations are
 * then totalled through their fragments, each fragment totalled once, after the fragments it spreads. A
 * walk along the spreads instead would take exponential time on fragments that spread fragments twice, and
 * recursion would overflow the stack on long chains. A spread back into a fragment being totalled counts as
 * nothing (graphql's NoFragmentCycles refuses the document anyway), and so does an unknown fragment.
 */
class DefinitionMeasures {
  private readonly operations: { readonly operation: OperationDefinitionNode; readonly measure: DefinitionMeasure }[] =
    [];
  private readonly fragments = new Map<string, DefinitionMeasure>();
  current: DefinitionMeasure = { own: 0, spreads: [] };

  start(definition: OperationDefinitionNode | FragmentDefinitionNode): void {
    this.current = { own: 0, spreads: [] };
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      this.operations.push({ operation: definition, measure: this.current });
    } else {
      this.fragments.set(definition.name.value, this.current);
    }
  }

  totals(
    combine: (own: number, spreads: { at: number; total: number }[]) => number,
  ): { operation: OperationDefinitionNode; total: number }[] {
    const totals = new Map<string, number>();
    const totalOf = (measure: DefinitionMeasure) =>
      combine(
        measure.own,
        measure.spreads.map((spread) => ({ at: spread.at, total: totals.get(spread.name) ?? 0 })),
      );
    // Depth-first with a stack of its own: a fragment is totalled when it comes off the stack the second
    // time, after everything it spreads; `open` holds the fragments between their two visits.
    const open = new Set<string>();
    const stack = [...this.fragments.keys()].map((name) => ({ name, spreadsDone: false }));
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const measure = this.fragments.get(top.name);
      if (measure === undefined || totals.has(top.name)) continue;
      if (top.spreadsDone) {
        open.delete(top.name);
        totals.set(top.name, totalOf(measure));
      } else if (!open.has(top.name)) {
        open.add(top.name);
        stack.push({ name: top.name, spreadsDone: true });
        for (const spread of measure.spreads) {
          if (!open.has(spread.name)) stack.push({ name: spread.name, spreadsDone: false });
        }
      }
    }
    return this.operations.map(({ operation, measure }) => ({ operation, total: totalOf(measure) }));
  }
}

function itemsPerParent(field: FieldNode, definition: GraphQLField<unknown, unknown> | null | undefined): number {
  const first = field.arguments?.find((argument) => argument.name.value === 'first')?.value;
  if (first === undefined) {
    const fallback = definition?.args.find((argument) => argument.name === 'first')?.defaultValue;
    return typeof fallback === 'number' ? fallback : 1;
  }
  // Anything but an Int literal is a variable, or a wrong literal that graphql's own rules refuse.
  return first.kind === Kind.INT ? Math.max(0, Number(first.value)) : MAX_PAGE_SIZE;
}

function operationLabel(operation: OperationDefinitionNode): string {
  return operation.name === undefined ? 'The operation' : `Operation "${operation.name.value}"`;
}

function limitError(
  message: string,
  node: ASTNode,
  reason: ErrorReason,
  figures?: { limit: number; actual: number },
): GraphQLError {
  return new GraphQLError(message, {
    nodes: node,
    extensions: { code: reason.code, details: { reason: reason.reason, ...figures } },
  });
}
