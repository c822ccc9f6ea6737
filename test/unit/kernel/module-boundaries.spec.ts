/**
 * Goal: the domain map is enforced by lint: imports in src/ point down the map through public surfaces,
 * and a deliberate violation of each kind fails. Method: ESLint's RuleTester over the rule with the options
 * eslint.config.js gives it (read back through ESLint's own config resolution), with valid and invalid
 * imports from files placed anywhere in src/; then the rule alone over every file of src/.
 */
import path from 'node:path';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import boundaries from '../../../scripts/lint/module-boundaries.js';

const rule = boundaries.rules['module-boundaries']!;
const at = (file: string) => path.join(process.cwd(), 'src', file);

async function configuredOptions(): Promise<unknown> {
  const config = (await new ESLint().calculateConfigForFile('src/ledger/ledger.service.ts')) as {
    rules: Record<string, [unknown, unknown]>;
  };
  return config.rules['local/module-boundaries']?.[1];
}

const options = await configuredOptions();

describe('module boundaries', () => {
  it('is configured for src/ in eslint.config.js', () => {
    expect(options).toMatchObject({ layers: expect.arrayContaining([['kernel']]) });
  });

  describe('allows imports down the map, through public surfaces, and anything within a module', () => {
    const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
    const valid = (file: string, code: string) => ({ filename: at(file), code, options: [options] });
    const invalid = (file: string, code: string, messageId: string) => ({
      filename: at(file),
      code,
      options: [options],
      errors: [{ messageId }],
    });
    tester.run('module-boundaries', rule, {
      valid: [
        valid('ledger/ledger.service.ts', "import { x } from '../kernel/database/run-in-transaction.js';"),
        valid('ledger/ledger.service.ts', "import { x } from './rules/apply-batch.js';"),
        valid('organizations/ledger-access.service.ts', "import { x } from '../ledger/ledger-access.port.js';"),
        valid('organizations/rules/access-rules.ts', "import type { x } from '../../ledger/ledger.records.js';"),
        valid('organizations/account-holder.resolver.ts', "import { x } from '../ledger/graphql/account.model.js';"),
        valid('organizations/organizations.service.ts', "import { x } from '../auth/auth.service.js';"),
        valid('organizations/invitations.service.ts', "import { x } from '../auth/auth.errors.js';"),
        valid('organizations/graphql/organizations.inputs.ts', "import { x } from '../../auth/graphql/auth.enums.js';"),
        valid('demo/demo.loader.ts', "import { x } from '../organizations/organizations.service.js';"),
        valid('app.module.ts', "import { x } from './demo/demo.module.js';"),
        valid('domain-modules.ts', "export { x } from './ledger/ledger.module.js';"),
        valid('kernel/kernel.module.ts', "import { x } from './audit/audit.service.js';"),
        valid('ledger/ledger.service.ts', "import { Injectable } from '@nestjs/common';"),
      ],
      invalid: [
        invalid('kernel/graphql/query-limits.ts', "import { x } from '../../ledger/rules/ledger-limits.js';", 'upward'),
        invalid('ledger/ledger.service.ts', "import { x } from '../organizations/organizations.service.js';", 'upward'),
        invalid('auth/auth.service.ts', "import { x } from '../ledger/ledger.service.js';", 'sideways'),
        invalid(
          'organizations/ledger-access.service.ts',
          "import { x } from '../ledger/ledger.repository.js';",
          'private',
        ),
        invalid(
          'organizations/rules/access-rules.ts',
          "import { x } from '../../ledger/rules/ledger-model.js';",
          'private',
        ),
        invalid('organizations/organization.resolver.ts', "import { x } from '../auth/auth.resolver.js';", 'private'),
        invalid('demo/demo.loader.ts', "import { x } from '../organizations/organizations.repository.js';", 'private'),
        invalid('organizations/x.ts', "export { x } from '../auth/auth.repository.js';", 'private'),
        invalid('ledger/x.ts', "const m = import('../organizations/organizations.module.js');", 'upward'),
        invalid('elsewhere/x.ts', "import { x } from '../kernel/ids.js';", 'unknown'),
      ],
    });
  });

  it('holds over every file of src/', async () => {
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['src/**/*.ts'],
          languageOptions: { parser: tseslint.parser },
          plugins: { local: boundaries },
          rules: { 'local/module-boundaries': ['error', options] as never },
        },
      ],
    });
    const results = await eslint.lintFiles(['src/**/*.ts']);
    expect(results.length).toBeGreaterThan(50);
    expect(
      results.flatMap((result) => result.messages.map((message) => `${result.filePath}: ${message.message}`)),
    ).toEqual([]);
  });
});
