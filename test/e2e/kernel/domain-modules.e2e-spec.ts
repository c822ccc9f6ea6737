/**
 * Goal: the registry of domain modules is the truth about the database: every table its migrations create
 * belongs to exactly one module (or the kernel), and no module claims a table that does not exist; the
 * application serves every registered module's resolvers. Method: PostgreSQL's catalogue of a freshly
 * migrated database against the registry's table lists, and the served schema's operations against the
 * registry's resolvers.
 */
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DOMAIN_MODULES } from '../../../src/domain-modules.js';
import { KERNEL_TABLES } from '../../../src/kernel/kernel.module.js';
import { tablesOf } from '../../support/databases.js';
import { TestApp } from '../setup/test-app.js';

describe('the registry of domain modules', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.close();
  });

  it('owns every table of the database, each exactly once', async () => {
    const declared = [...KERNEL_TABLES, ...DOMAIN_MODULES.flatMap((domain) => domain.tables)];
    expect(new Set(declared).size).toBe(declared.length);
    expect([...declared].sort()).toEqual(await tablesOf((sql, parameters) => app.dataSource.query(sql, parameters)));
  });

  it('lists the modules once each, in the order of the domain map, each with resolvers and reasons', () => {
    const names = DOMAIN_MODULES.map((domain) => domain.name);
    expect(new Set(names).size).toBe(names.length);
    for (const domain of DOMAIN_MODULES) {
      expect(domain.resolvers.length).toBeGreaterThan(0);
      expect(Object.keys(domain.reasons).length).toBeGreaterThan(0);
    }
  });

  it('serves the operations of every registered module', () => {
    const schema = app.app.get(GraphQLSchemaHost).schema;
    const operations = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
    ];
    for (const expected of ['register', 'createOrganization', 'postTransaction', 'accountHistory']) {
      expect(operations).toContain(expected);
    }
  });
});
