// Unit tests run pure rules; e2e tests run the real service over HTTP on a real PostgreSQL (one database
// per test file, cloned from a migrated template made once in global setup). Native ESM: NestJS 12 is ESM.
const esm = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
};

export default {
  testTimeout: 60000,
  projects: [
    { ...esm, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...esm,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/e2e/setup/global-setup.mjs',
      globalTeardown: '<rootDir>/test/e2e/setup/global-teardown.mjs',
    },
  ],
};
