/**
 * Goal: schema.graphql is exactly the running service's schema, and no amount can travel as a Float.
 * Method: print the live schema of the real application (sorted) and compare it with the committed file.
 */
import { readFile } from 'node:fs/promises';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSortedSchema } from '../../../src/kernel/graphql/print-schema.js';
import { TestApp } from '../setup/test-app.js';

describe('schema.graphql', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.close();
  });

  it('matches the schema the service serves (run `npm run generate` after changing the API)', async () => {
    const live = printSortedSchema(app.app.get(GraphQLSchemaHost).schema);
    expect(await readFile('schema.graphql', 'utf8')).toBe(live);
  });

  it('has no Float anywhere: amounts are Money strings', async () => {
    expect(await readFile('schema.graphql', 'utf8')).not.toMatch(/\bFloat\b/);
  });
});
