import type { Type } from '@nestjs/common';
import type { ReasonCatalogue } from './errors/domain-error.js';
import type { Invariant } from './invariants.js';

/**
 * What a domain module declares about itself, once, for everything that must know every module: the
 * application (its Nest module), the schema writer (its resolvers), the error catalogue (its reasons) and
 * the tests (its tables, checked against PostgreSQL's catalogue) and the books check (its invariants). The
 * registry is src/domain-modules.ts.
 */
export interface DomainModule {
  readonly name: string;
  readonly module: Type<unknown>;
  readonly resolvers: readonly Type<unknown>[];
  readonly reasons: ReasonCatalogue;
  /** The tables its migrations create; only its repository's SQL writes them. */
  readonly tables: readonly string[];
  /** What its rows and the ledger's must agree on, checked with the ledger's own (src/kernel/invariants.ts). */
  readonly invariants: readonly Invariant[];
}
