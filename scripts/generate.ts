/**
 * Writes the generated files from the code, with no database: schema.graphql (the API) and docs/ERRORS.md
 * (every error code and reason): `npm run generate`. Tests compare both with what the code produces, so a
 * stale file fails the suite.
 */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { DOMAIN_MODULES } from '../src/domain-modules.js';
import { renderErrorCatalogue } from '../src/kernel/errors/error-catalogue.js';
import { SCHEMA_BUILD_OPTIONS } from '../src/kernel/graphql/graphql-options.js';
import { printSortedSchema } from '../src/kernel/graphql/print-schema.js';

const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
await app.init();
const schema = await app.get(GraphQLSchemaFactory).create(
  DOMAIN_MODULES.flatMap((domain) => domain.resolvers),
  SCHEMA_BUILD_OPTIONS,
);
await writeFile('schema.graphql', printSortedSchema(schema));
await app.close();
await writeFile('docs/ERRORS.md', renderErrorCatalogue(DOMAIN_MODULES));
process.stdout.write('wrote schema.graphql and docs/ERRORS.md\n');
