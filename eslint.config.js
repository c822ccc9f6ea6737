// Type-checked linting: no floating promises, exhaustive switches, no `any`, no stray float parsing; and the
// domain map, held by scripts/lint/module-boundaries.js.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from './scripts/lint/module-boundaries.js';

/** The domain map (DESIGN.md), bottom first; imports point down it, through public surfaces. */
export const DOMAIN_MAP = {
  layers: [
    ['kernel'],
    ['auth', 'ledger'],
    ['organizations'],
    ['governance'],
    ['timebank', 'trade', 'strike-funds', 'land-trusts'],
    ['redistribution'],
    ['demo'],
    ['app'],
  ],
  // What other modules may import of a module (docs/ADDING-A-MODULE.md): never its repository, resolvers,
  // rules or inputs.
  publicSurface: [
    '[a-z-]+\\.module\\.ts',
    '[a-z-]+\\.service\\.ts',
    '[a-z-]+\\.records\\.ts',
    '[a-z-]+\\.port\\.ts',
    '[a-z-]+\\.errors\\.ts',
    'graphql/[a-z-]+\\.models?\\.ts',
    'graphql/[a-z-]+\\.enums\\.ts',
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-globals': ['error', { name: 'parseFloat', message: 'Amounts are bigint minor units.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Number', property: 'parseFloat', message: 'Amounts are bigint.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { local: boundaries },
    rules: { 'local/module-boundaries': ['error', DOMAIN_MAP] },
  },
  {
    // Tests read loosely typed GraphQL responses.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
