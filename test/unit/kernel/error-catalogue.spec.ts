/**
 * Goal: error reasons are closed sets, declared once by the module that raises them, and docs/ERRORS.md is
 * exactly what the declarations generate. Method: render the catalogue from the registry and compare it with
 * the committed file; check each declaration's shape; and show that a reason cannot be declared twice.
 */
import { readFile } from 'node:fs/promises';
import { DOMAIN_MODULES } from '../../../src/domain-modules.js';
import { DomainError, ERROR_CODES, declareReasons } from '../../../src/kernel/errors/domain-error.js';
import { renderErrorCatalogue } from '../../../src/kernel/errors/error-catalogue.js';
import { KERNEL_ERRORS } from '../../../src/kernel/errors/kernel.errors.js';

const catalogues = [KERNEL_ERRORS, ...DOMAIN_MODULES.map((module) => module.reasons)];
const reasons = catalogues.flatMap((catalogue) => Object.values(catalogue));

describe('error reasons', () => {
  it('docs/ERRORS.md is what the declarations generate (run `npm run generate` after changing them)', async () => {
    expect(await readFile('docs/ERRORS.md', 'utf8')).toBe(renderErrorCatalogue(DOMAIN_MODULES));
  });

  it('are stable SCREAMING_SNAKE names, each declared once, with a code from the closed set and a meaning', () => {
    for (const reason of reasons) {
      expect(reason.reason).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(ERROR_CODES).toContain(reason.code);
      expect(reason.meaning.length).toBeGreaterThan(10);
    }
    expect(new Set(reasons.map((reason) => reason.reason)).size).toBe(reasons.length);
  });

  it('cover every code', () => {
    expect(new Set(reasons.map((reason) => reason.code))).toEqual(new Set(ERROR_CODES));
  });

  it('cannot be declared again by another module', () => {
    expect(() =>
      declareReasons('elsewhere', { INVALID_ID: ['VALIDATION_FAILED', 'A second meaning of a name.'] }),
    ).toThrow(/declared by kernel and again by elsewhere/);
  });

  it('make the only errors DomainError builds; a kept refusal must name a declared reason with its code', () => {
    const error = new DomainError(KERNEL_ERRORS.INVALID_ID, 'id must be a UUID', { field: 'id' });
    expect({ code: error.code, details: error.details }).toEqual({
      code: 'VALIDATION_FAILED',
      details: { reason: 'INVALID_ID', field: 'id' },
    });
    const kept = { code: 'VALIDATION_FAILED', reason: 'INVALID_ID', message: 'm', details: {} } as const;
    expect(DomainError.fromRefusal(kept, { replayed: true }).details).toEqual({ reason: 'INVALID_ID', replayed: true });
    expect(() => DomainError.fromRefusal({ ...kept, reason: 'NEVER_DECLARED' })).toThrow(/declared/);
    expect(() => DomainError.fromRefusal({ ...kept, code: 'CONFLICT' })).toThrow(/declared/);
  });
});
