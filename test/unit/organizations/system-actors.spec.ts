/**
 * Goal: automatic work is held to explicit rules: a system actor moves value only out of the accounts its
 * grant names (or of the organisations it manages), manages only the organisations of its grant, expires
 * holds only when its grant says so, and with an empty grant may do nothing at all. Nothing is skipped for
 * it. Method: the pure access rules with system principals, worked examples and fast-check properties over
 * random grants and requests (deny by default; a grant only ever allows what it names).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { hasAnyRole, nameOf, systemPrincipal } from '../../../src/kernel/principal.js';
import type { BatchView } from '../../../src/ledger/ledger-access.port.js';
import type { LedgerRequest } from '../../../src/ledger/ledger.records.js';
import {
  accessLevel,
  decideOpenAccount,
  findBatchRefusal,
  mayChangeStatus,
  mayCreateUnit,
  maySetCreditLines,
} from '../../../src/organizations/rules/access-rules.js';

const uuid = (): string => randomUUID();

function transfer(from: string, to: string): LedgerRequest {
  return {
    type: 'TRANSFER',
    id: uuid(),
    unitCode: 'CWC',
    kind: 'TRANSFER',
    memo: '',
    metadata: [],
    effectiveAt: null,
    hold: null,
    entries: [
      { accountId: from, side: 'DEBIT', amount: 1n },
      { accountId: to, side: 'CREDIT', amount: 1n },
    ],
  };
}

function viewOf(accounts: Readonly<Record<string, { holderId: string; issuerId: string }>>): BatchView {
  return { account: (id) => accounts[id], referenced: () => undefined };
}

describe('system actors', () => {
  const fund = uuid();
  const other = uuid();
  const coop = uuid();
  const issuer = uuid();
  const accounts = viewOf({
    [fund]: { holderId: coop, issuerId: issuer },
    [other]: { holderId: uuid(), issuerId: issuer },
  });

  it('are named <module>.<work>, and recorded as system:<name>', () => {
    expect(nameOf(systemPrincipal('land-trusts.lease-charges', {}))).toBe('system:land-trusts.lease-charges');
    for (const bad of ['', 'charges', 'Land.charges', 'a.b c', 'a..b']) {
      expect(() => systemPrincipal(bad, {})).toThrow(/<module>.<work>/);
    }
  });

  it('move value only out of the accounts their grant names', () => {
    const payer = systemPrincipal('strike-funds.stipends', { accounts: new Set([fund]) });
    expect(findBatchRefusal(payer, [transfer(fund, other)], accounts)).toBeNull();
    expect(findBatchRefusal(payer, [transfer(other, fund)], accounts)).toMatchObject({
      reason: 'NOT_ACCOUNT_HOLDER',
      accountId: other,
    });
  });

  it('expire holds only when their grant says so', () => {
    const expire: LedgerRequest = { type: 'EXPIRE_HOLD', id: uuid(), holdId: uuid(), memo: '', metadata: [] };
    expect(
      findBatchRefusal(systemPrincipal('ledger.hold-expiry', { expiresHolds: true }), [expire], accounts),
    ).toBeNull();
    expect(
      findBatchRefusal(systemPrincipal('timebank.auto-confirm', { accounts: new Set([fund]) }), [expire], accounts),
    ).toMatchObject({
      reason: 'SYSTEM_OPERATION',
    });
  });

  it('manage the organisations of their grant as ADMIN and TREASURER would, and no other', () => {
    const manager = systemPrincipal('demo.loader', { organizations: new Set([coop]) });
    expect(hasAnyRole(manager, coop, ['ADMIN'])).toBe(true);
    expect(hasAnyRole(manager, coop, ['COORDINATOR'])).toBe(false);
    expect(mayCreateUnit(manager, coop)).toBe(true);
    expect(maySetCreditLines(manager, coop)).toBe(true);
    expect(mayCreateUnit(manager, issuer)).toBe(false);
    expect(findBatchRefusal(manager, [transfer(fund, other)], accounts)).toBeNull();
    expect(accessLevel(manager, { holderId: coop, issuerId: issuer }, undefined)).toBe('DETAIL');
    expect(accessLevel(manager, { holderId: uuid(), issuerId: issuer }, undefined)).toBe('NONE');
  });

  it('with an empty grant, may do nothing (property: deny by default)', () => {
    const nobody = systemPrincipal('kernel.nothing', {});
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.uuid(),
        fc.uuid(),
        fc.bigInt({ min: 0n, max: 10n }),
        (holderId, issuerId, accountId, limit) => {
          expect(mayCreateUnit(nobody, issuerId)).toBe(false);
          expect(maySetCreditLines(nobody, issuerId)).toBe(false);
          expect(mayChangeStatus(nobody, { holderId, issuerId }, 'FROZEN')).toBe(false);
          expect(decideOpenAccount(nobody, { holderId, issuerId, creditLimit: limit })).not.toMatch(/^ALLOWED/);
          const view = viewOf({ [accountId]: { holderId, issuerId } });
          expect(findBatchRefusal(nobody, [transfer(accountId, uuid())], view)).toMatchObject({
            reason: 'NOT_ACCOUNT_HOLDER',
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a grant allows exactly the accounts it names (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 2, maxLength: 8 }), fc.nat(), (ids, pick) => {
        const granted = new Set(ids.slice(0, 1 + (pick % (ids.length - 1))));
        const actor = systemPrincipal('trade.clearing', { accounts: granted });
        const view = viewOf(Object.fromEntries(ids.map((id) => [id, { holderId: uuid(), issuerId: uuid() }])));
        for (const id of ids) {
          const refusal = findBatchRefusal(actor, [transfer(id, uuid())], view);
          expect(refusal === null).toBe(granted.has(id));
        }
      }),
      { numRuns: 100 },
    );
  });
});
