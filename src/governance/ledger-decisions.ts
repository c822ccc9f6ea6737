import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../kernel/errors/domain-error.js';
import { isUuid, stepId } from '../kernel/ids.js';
import { parseMinorUnits } from '../kernel/money/minor-units.js';
import { systemPrincipal } from '../kernel/principal.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { MAX_ENTRY_AMOUNT, type Authority, type LedgerRequest } from '../ledger/ledger.records.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { EffectRegistry } from './effect-registry.js';
import { GOVERNANCE_ERRORS } from './governance.errors.js';

export const DISBURSE = 'ledger.disburse';
export const SET_CREDIT_LINE = 'ledger.set-credit-line';
/** Who writes what a decision does in the ledger, as named on its transactions and in the audit log. */
const DECISIONS_ACTOR = 'governance.decisions';
/** One transaction of at most 64 entries: the fund's debit and up to 63 payments. */
const MAX_PAYMENTS = 63;

type Params = Readonly<Record<string, unknown>>;

/**
 * The decisions governance itself can carry out, because they belong to the ledger below it: disbursing
 * from an organisation's fund to named accounts, and setting a credit line in a unit the organisation
 * issues. Each is offered both as a motion's effect and as an approval request's action. What it writes
 * names the decision as its authority, and is written by the system actor `governance.decisions` with a
 * grant of exactly the fund it pays from, or the issuer whose credit line it sets.
 *
 * - `ledger.disburse` { fromAccountId, payments: [{ accountId, amount }], memo? }: the fund is held by the
 *   deciding organisation; 1 to 63 payments, to distinct accounts of the fund's unit, amounts in minor units.
 * - `ledger.set-credit-line` { accountId, creditLimit, upperLimit? }: the account's unit is issued by the
 *   deciding organisation.
 */
@Injectable()
export class LedgerDecisions implements OnModuleInit {
  constructor(
    @Inject(EffectRegistry) private readonly registry: EffectRegistry,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
  ) {}

  onModuleInit(): void {
    this.registry.addEffect(DISBURSE, {
      check: async (manager, { assembly, params }) =>
        (await this.checkDisbursement(manager, assembly.organizationId, params)).params,
      apply: (manager, { motion, params }) => this.disburse(manager, { kind: 'MOTION', id: motion.id }, params),
    });
    this.registry.addAction(DISBURSE, {
      check: (manager, { organizationId, params }) => this.checkDisbursement(manager, organizationId, params),
      apply: (manager, { request, params }) =>
        this.disburse(manager, { kind: 'APPROVAL_REQUEST', id: request.id }, params),
    });
    this.registry.addEffect(SET_CREDIT_LINE, {
      check: async (manager, { assembly, params }) =>
        (await this.checkCreditLine(manager, assembly.organizationId, params)).params,
      apply: (manager, { motion, params }) => this.setCreditLine(manager, { kind: 'MOTION', id: motion.id }, params),
    });
    this.registry.addAction(SET_CREDIT_LINE, {
      check: (manager, { organizationId, params }) => this.checkCreditLine(manager, organizationId, params),
      apply: (manager, { request, params }) =>
        this.setCreditLine(manager, { kind: 'APPROVAL_REQUEST', id: request.id }, params),
    });
  }

  private async checkDisbursement(
    manager: EntityManager,
    organizationId: string,
    params: Params,
  ): Promise<{ params: Record<string, unknown>; payeeIds: string[] }> {
    const fund = await this.accounts.requireAccount(manager, uuidParam(params, 'fromAccountId'));
    if (fund.holderId !== organizationId) refuse('the fund (fromAccountId) is an account of the deciding organisation');
    const payments = params['payments'];
    if (!Array.isArray(payments) || payments.length === 0 || payments.length > MAX_PAYMENTS) {
      refuse(`payments is a list of 1 to ${MAX_PAYMENTS} { accountId, amount }`);
    }
    const memo = params['memo'] ?? '';
    if (typeof memo !== 'string' || [...memo].length > 500) refuse('memo is text of at most 500 characters');
    const checked: { accountId: string; amount: string }[] = [];
    const payeeIds = new Set<string>();
    for (const payment of payments as unknown[]) {
      if (payment === null || typeof payment !== 'object' || Array.isArray(payment)) {
        refuse('each payment is { accountId, amount }');
      }
      const entry = payment as Params;
      const account = await this.accounts.requireAccount(manager, uuidParam(entry, 'accountId'));
      if (account.unitCode !== fund.unitCode) refuse(`every payment is in the fund's unit, ${fund.unitCode}`);
      if (account.id === fund.id || checked.some((other) => other.accountId === account.id)) {
        refuse('each payment goes to a distinct account other than the fund');
      }
      const amount = amountParam(entry, 'amount');
      if (amount <= 0n) refuse('a payment is more than zero');
      if (amount > MAX_ENTRY_AMOUNT) refuse(`a payment is at most ${MAX_ENTRY_AMOUNT} minor units`);
      checked.push({ accountId: account.id, amount: amount.toString() });
      payeeIds.add(account.holderId);
    }
    const total = checked.reduce((sum, payment) => sum + BigInt(payment.amount), 0n);
    if (total > MAX_ENTRY_AMOUNT) refuse(`the payments add up to at most ${MAX_ENTRY_AMOUNT} minor units`);
    return {
      params: { fromAccountId: fund.id, unitCode: fund.unitCode, payments: checked, memo },
      payeeIds: [...payeeIds],
    };
  }

  private async disburse(
    manager: EntityManager,
    authority: Authority,
    params: Params,
  ): Promise<Record<string, unknown>> {
    const fundId = String(params['fromAccountId']);
    const payments = params['payments'] as { accountId: string; amount: string }[];
    const total = payments.reduce((sum, payment) => sum + BigInt(payment.amount), 0n);
    const request: LedgerRequest = {
      type: 'TRANSFER',
      id: stepId(DISBURSE, authority.kind, authority.id),
      unitCode: String(params['unitCode']),
      kind: 'DISBURSEMENT',
      memo: typeof params['memo'] === 'string' ? params['memo'] : '',
      metadata: [],
      effectiveAt: null,
      hold: null,
      authority,
      entries: [
        { accountId: fundId, side: 'DEBIT', amount: total },
        ...payments.map((payment) => ({
          accountId: payment.accountId,
          side: 'CREDIT' as const,
          amount: BigInt(payment.amount),
        })),
      ],
    };
    const payer = systemPrincipal(DECISIONS_ACTOR, { accounts: new Set([fundId]) });
    const [result] = await this.ledger.applyInTransaction(manager, payer, [request]);
    if (result === undefined) throw new Error('the ledger answers every request');
    if (!result.ok) throw DomainError.fromRefusal(result.refusal, { authority });
    return { transactionId: result.transaction.id, amount: total.toString() };
  }

  private async checkCreditLine(
    manager: EntityManager,
    organizationId: string,
    params: Params,
  ): Promise<{ params: Record<string, unknown>; payeeIds: string[] }> {
    const account = await this.accounts.requireAccount(manager, uuidParam(params, 'accountId'));
    if (account.issuerId !== organizationId) refuse("the account's unit is issued by the deciding organisation");
    const creditLimit = amountParam(params, 'creditLimit');
    const upperLimit =
      params['upperLimit'] === undefined || params['upperLimit'] === null ? null : amountParam(params, 'upperLimit');
    if (creditLimit < 0n || (upperLimit !== null && upperLimit < 0n)) refuse('limits are zero or more');
    return {
      params: {
        accountId: account.id,
        creditLimit: creditLimit.toString(),
        upperLimit: upperLimit?.toString() ?? null,
      },
      payeeIds: [account.holderId],
    };
  }

  private async setCreditLine(
    manager: EntityManager,
    authority: Authority,
    params: Params,
  ): Promise<Record<string, unknown>> {
    const accountId = String(params['accountId']);
    const account = await this.accounts.requireAccount(manager, accountId);
    const issuer = systemPrincipal(DECISIONS_ACTOR, { organizations: new Set([account.issuerId]) });
    const upperLimit = typeof params['upperLimit'] === 'string' ? BigInt(params['upperLimit']) : null;
    const updated = await this.accounts.setLimitsIn(
      manager,
      issuer,
      accountId,
      BigInt(String(params['creditLimit'])),
      upperLimit,
      `${authority.kind} ${authority.id}`,
    );
    return {
      accountId,
      creditLimit: updated.creditLimit.toString(),
      upperLimit: updated.upperLimit?.toString() ?? null,
    };
  }
}

function refuse(problem: string): never {
  throw new DomainError(GOVERNANCE_ERRORS.INVALID_EFFECT, `The effect cannot be decided here: ${problem}`, { problem });
}

function uuidParam(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || !isUuid(value)) refuse(`${name} is an account id (a UUID)`);
  return value;
}

/** An amount in a parameter: a decimal string of minor units (as the Money scalar takes it). */
function amountParam(params: Params, name: string): bigint {
  const value = params[name];
  if (typeof value !== 'string') refuse(`${name} is an amount in minor units, as a decimal string such as "1250"`);
  try {
    return parseMinorUnits(value);
  } catch {
    return refuse(`${name} is an amount in minor units, as a decimal string such as "1250"`);
  }
}
