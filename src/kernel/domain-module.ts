import type { Type } from '@nestjs/common';
import type { ReasonCatalogue } from './errors/domain-error.js';

/**
 * What a domain module declares about itself, once, for everything that must know every module: the
 * application (its Nest module), the schema writer (its resolvers), the error catalogue (its reasons) and
 * the tests (its tables, checked against PostgreSQL's catalogue). The registry is src/domain-modules.ts.
 */
export interface DomainModule {
  readonly name: string;
  readonly module: Type<unknown>;
  readonly resolvers: readonly Type<unknown>[];
  readonly reasons: ReasonCatalogue;
  /** The tables its migrations create; only its repository's SQL writes them. */
  readonly tables: readonly string[];
}
