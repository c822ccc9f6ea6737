import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../kernel/errors/domain-error.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { requireUuid } from '../kernel/ids.js';
import type { Principal } from '../kernel/principal.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { buildStatement, toCsv } from './rules/statements.js';
import { TIMEBANK_ERRORS } from './timebank.errors.js';
import type { BankMonthRecord, MemberStatementRecord } from './timebank.records.js';
import { TimebankRepository } from './timebank.repository.js';
import { TimebankService } from './timebank.service.js';

/**
 * Statements: a member's hours per month (for the member, the coordinators, and the bank's members when
 * the bank shares statements), a bank's totals per month (for its coordinators), and both as CSV. Read from
 * the bank's logs; the balance now is the ledger's.
 */
@Injectable()
export class StatementsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TimebankRepository) private readonly repository: TimebankRepository,
    @Inject(TimebankService) private readonly banks: TimebankService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
  ) {}

  async memberStatement(
    principal: Principal,
    input: { timeBankId: string; personId: string | null },
  ): Promise<MemberStatementRecord> {
    const { personId: callerId } = requirePerson(principal);
    const timeBankId = requireUuid(input.timeBankId, 'timeBankId');
    const personId = input.personId === null ? callerId : requireUuid(input.personId, 'personId');
    const manager = this.dataSource.manager;
    const bank = await this.banks.requireBank(manager, timeBankId);
    this.banks.requireMember(principal, timeBankId);
    const visible =
      personId === callerId ||
      this.banks.isCoordinator(principal, timeBankId) ||
      bank.settings.statementVisibility === 'MEMBERS';
    if (!visible) {
      throw new DomainError(TIMEBANK_ERRORS.STATEMENT_NOT_VISIBLE, "You may not see this member's statement", {
        personId,
      });
    }
    const member = await this.banks.membership(manager, timeBankId, personId);
    if (member === null) {
      throw new DomainError(TIMEBANK_ERRORS.NOT_ENROLLED, `${personId} has not joined the time bank`, { personId });
    }
    const [account] = await this.accounts.accountsIn(manager, [member.accountId]);
    return {
      timebankId: timeBankId,
      personId,
      months: buildStatement(await this.repository.movements(manager, member.accountId)),
      balance: account === undefined ? 0n : account.creditsPosted - account.debitsPosted,
      pendingMinutes: await this.repository.pendingMinutes(manager, member.accountId),
    };
  }

  async bankStatement(principal: Principal, timeBankId: string): Promise<BankMonthRecord[]> {
    const id = requireUuid(timeBankId, 'timeBankId');
    await this.banks.requireBank(this.dataSource.manager, id);
    this.banks.requireCoordinator(principal, id);
    return this.repository.bankMonths(this.dataSource.manager, id);
  }
}

export function memberStatementCsv(statement: MemberStatementRecord): string {
  return toCsv(
    ['month', 'given_minutes', 'received_minutes', 'correction_minutes', 'balance_minutes'],
    statement.months.map((line) => [line.month, line.given, line.received, line.corrections, line.balance]),
  );
}

export function bankStatementCsv(months: readonly BankMonthRecord[]): string {
  return toCsv(
    ['month', 'exchanges', 'active_members', 'minutes', 'corrections'],
    months.map((line) => [line.month, line.exchanges, line.activeMembers, line.minutes, line.corrections]),
  );
}
