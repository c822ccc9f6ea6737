import type { ESLint } from 'eslint';

/** The rule of module-boundaries.js, typed for the tests that exercise it. */
declare const plugin: ESLint.Plugin & { rules: Required<ESLint.Plugin>['rules'] };
export default plugin;
