/**
 * Writes schema.graphql from the code (no database needed): `npm run schema`. A test compares the running
 * service's schema with the committed file, so a stale file fails the suite.
 */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { LEDGER_RESOLVERS } from '../src/ledger/ledger.module.js';
import { ORGANIZATIONS_RESOLVERS } from '../src/organizations/organizations.module.js';
import { SCHEMA_BUILD_OPTIONS } from '../src/kernel/graphql/graphql-options.js';
import { printSortedSchema } from '../src/kernel/graphql/print-schema.js';

const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
await app.init();
const schema = await app
  .get(GraphQLSchemaFactory)
  .create([...LEDGER_RESOLVERS, ...ORGANIZATIONS_RESOLVERS], SCHEMA_BUILD_OPTIONS);
await writeFile('schema.graphql', printSortedSchema(schema));
await app.close();
process.stdout.write('wrote schema.graphql\n');
