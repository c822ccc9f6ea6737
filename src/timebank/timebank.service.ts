import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import type { Position } from '../kernel/graphql/cursor.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { requireUuid, stepId } from '../kernel/ids.js';
import { nameOf, rolesIn, systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { GovernanceService } from '../governance/governance.service.js';
import { GOVERNANCE_ERRORS } from '../governance/governance.errors.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { LEDGER_ERRORS } from '../ledger/ledger.errors.js';
import type { Authority } from '../ledger/ledger.records.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import {
  applySettingsChange,
  DEFAULT_SETTINGS,
  parseSettingsChange,
  view,
  type SettingsChange,
  type TimebankSettings,
} from './rules/settings.js';
import { TIMEBANK_ERRORS } from './timebank.errors.js';
import type {
  BankMemberRecord,
  ListingKind,
  ListingRecord,
  SettingsChangeRecord,
  TimebankRecord,
} from './timebank.records.js';
import { TimebankRepository } from './timebank.repository.js';

/** What a passed motion may do to a time bank: change its settings, as its coordinators would. */
export const CHANGE_SETTINGS = 'timebank.change-settings';
/** How far a bank's clearing account (its members' hours owed to other banks) may go below zero. */
export const FEDERATION_CLEARING_LIMIT = 100_000_000n;
const COORDINATING_ROLES = ['COORDINATOR', 'ADMIN'];
const MAX_SEARCH_WORDS = 8;

export interface NewListing {
  readonly id: string;
  readonly timeBankId: string;
  readonly kind: ListingKind;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly estimatedMinutes: number | null;
  readonly availability: string;
}

export interface ListingChange {
  readonly listingId: string;
  readonly title: string | null;
  readonly description: string | null;
  readonly category: string | null;
  readonly estimatedMinutes: number | null;
  readonly availability: string | null;
}

/**
 * Time banks: setting one up (its hours unit, its own and its clearing account), its settings (changed by its
 * coordinators or by a passed motion, each change kept with who and why), its members' hours accounts
 * (opened once, with the bank's credit line), and the catalogue of offers and requests. Each write is one
 * database transaction (READ COMMITTED) that locks the bank's row when it changes it.
 */
@Injectable()
export class TimebankService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TimebankRepository) private readonly repository: TimebankRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(GovernanceService) private readonly governance: GovernanceService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.governance.registerEffect(CHANGE_SETTINGS, {
      check: async (manager, { assembly, params }) => {
        const bank = await this.repository.findBank(manager, assembly.organizationId);
        if (bank === null) refuseEffect("the assembly is a time bank's (its organisation has set one up)");
        const change = parseSettingsChange(params);
        if (typeof change === 'string') refuseEffect(change);
        const decision = applySettingsChange(bank.settings, change);
        if (!decision.ok) refuseEffect(decision.problem);
        return { ...params };
      },
      apply: async (manager, { motion, assembly, params }) => {
        const change = parseSettingsChange(params);
        if (typeof change === 'string') refuseEffect(change);
        const actor = systemPrincipal('timebank.decisions', { organizations: new Set([assembly.organizationId]) });
        const bank = await this.changeSettingsIn(manager, actor, {
          timeBankId: assembly.organizationId,
          change,
          reason: `Decided by motion ${motion.id}`,
          authority: { kind: 'MOTION', id: motion.id },
        });
        return { timeBankId: bank.organizationId, version: bank.version, settings: view(bank.settings) };
      },
    });
  }

  // Banks and settings

  /**
   * Sets up a time bank for an organisation of kind TIME_BANK (its ADMIN): its HOURS unit (issued by it, in
   * minutes), its own account (credit line: bankCreditMinutes) and its clearing account. Setting it up again
   * with the same unit returns it.
   */
  async setUp(
    principal: Principal,
    input: { organizationId: string; unitCode: string; unitName: string; settings: SettingsChange },
  ): Promise<TimebankRecord> {
    requirePerson(principal);
    const organizationId = requireUuid(input.organizationId, 'organizationId');
    const organization = await this.organizations.requireOrganization(this.dataSource.manager, organizationId);
    await this.organizations.requireRole(principal, organizationId, ['ADMIN']);
    if (organization.kind !== 'TIME_BANK') {
      throw new DomainError(TIMEBANK_ERRORS.NOT_A_TIME_BANK, `${organization.name} is not a time bank`, {
        organizationId,
      });
    }
    const decision = applySettingsChange(DEFAULT_SETTINGS, input.settings);
    if (!decision.ok) invalidSettings(decision.problem);
    const setup = systemPrincipal('timebank.setup', { organizations: new Set([organizationId]) });
    const existing = await this.repository.findBank(this.dataSource.manager, organizationId);
    if (existing !== null) return this.sameUnit(existing, input.unitCode);
    try {
      await this.accounts.createUnit(setup, {
        code: input.unitCode,
        name: input.unitName,
        kind: 'HOURS',
        scale: 0,
        issuerId: organizationId,
      });
    } catch (error) {
      if (error instanceof DomainError && error.details.reason === LEDGER_ERRORS.UNIT_EXISTS.reason) {
        throw new DomainError(TIMEBANK_ERRORS.TIME_BANK_UNIT_TAKEN, `Unit ${input.unitCode} exists with other terms`, {
          unitCode: input.unitCode,
        });
      }
      throw error;
    }
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.organizations.requireOrganization(manager, organizationId, true);
      const again = await this.repository.findBank(manager, organizationId);
      if (again !== null) return this.sameUnit(again, input.unitCode);
      const now = this.clock.now();
      const bankAccount = await this.accounts.openAccountIn(manager, setup, {
        id: stepId('timebank.bank-account', organizationId),
        unitCode: input.unitCode,
        holderId: organizationId,
        name: `${organization.name}: community account`,
        kind: 'FUND',
        creditLimit: decision.settings.bankCreditMinutes,
        upperLimit: null,
      });
      const clearing = await this.accounts.openAccountIn(manager, setup, {
        id: stepId('timebank.clearing-account', organizationId),
        unitCode: input.unitCode,
        holderId: organizationId,
        name: `${organization.name}: exchanges with other banks`,
        kind: 'CLEARING',
        creditLimit: FEDERATION_CLEARING_LIMIT,
        upperLimit: null,
      });
      const bank: TimebankRecord = {
        organizationId,
        unitCode: input.unitCode,
        bankAccountId: bankAccount.id,
        clearingAccountId: clearing.id,
        settings: decision.settings,
        version: 1,
        createdAt: now,
      };
      if (!(await this.repository.insertBank(manager, bank))) {
        throw new DomainError(TIMEBANK_ERRORS.TIME_BANK_UNIT_TAKEN, `Unit ${input.unitCode} is another bank's`, {
          unitCode: input.unitCode,
        });
      }
      await this.repository.insertSettingsChange(manager, {
        timebankId: organizationId,
        version: 1,
        changedBy: nameOf(principal),
        authority: null,
        reason: 'Set up',
        before: null,
        after: view(decision.settings),
        changedAt: now,
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'TIME_BANK_SET_UP',
        organizationId,
        subject: { type: 'TIME_BANK', id: organizationId },
        after: { unitCode: input.unitCode, ...view(decision.settings) },
      });
      return this.requireBank(manager, organizationId);
    });
  }

  /** A coordinator changes settings; the change and its reason are kept, and audited. */
  async changeSettings(
    principal: Principal,
    input: { timeBankId: string; change: SettingsChange; reason: string },
  ): Promise<TimebankRecord> {
    const timeBankId = requireUuid(input.timeBankId, 'timeBankId');
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.requireBank(manager, timeBankId);
      this.requireCoordinator(principal, timeBankId);
      return this.changeSettingsIn(manager, principal, { ...input, timeBankId, authority: null });
    });
  }

  /**
   * Changes a bank's settings inside the caller's transaction: a coordinator's change, or a passed motion's
   * (`authority` names it). A change that changes nothing writes nothing. A new bankCreditMinutes sets the
   * bank account's credit line; a new defaultCreditMinutes applies to members who join from now on.
   */
  async changeSettingsIn(
    manager: EntityManager,
    principal: Principal,
    input: { timeBankId: string; change: SettingsChange; reason: string; authority: Authority | null },
  ): Promise<TimebankRecord> {
    const before = await this.requireBank(manager, input.timeBankId, true);
    const decision = applySettingsChange(before.settings, input.change);
    if (!decision.ok) invalidSettings(decision.problem);
    if (decision.changed.length === 0) return before;
    const after = await this.repository.updateSettings(manager, before.organizationId, decision.settings);
    if (before.settings.bankCreditMinutes !== after.settings.bankCreditMinutes) {
      await this.accounts.setLimitsIn(
        manager,
        systemPrincipal('timebank.settings', { organizations: new Set([before.organizationId]) }),
        before.bankAccountId,
        after.settings.bankCreditMinutes,
        null,
        input.reason.trim() || 'Time bank settings changed',
      );
    }
    await this.repository.insertSettingsChange(manager, {
      timebankId: after.organizationId,
      version: after.version,
      changedBy: nameOf(principal),
      authority: input.authority,
      reason: input.reason.trim(),
      before: view(before.settings),
      after: view(after.settings),
      changedAt: this.clock.now(),
    });
    await this.audit.record(manager, {
      actor: principal,
      action: 'TIME_BANK_SETTINGS_CHANGED',
      organizationId: after.organizationId,
      subject: { type: 'TIME_BANK', id: after.organizationId },
      before: view(before.settings),
      after: { ...view(after.settings), reason: input.reason.trim(), changed: decision.changed },
    });
    return after;
  }

  /**
   * A bank and its settings, for anyone signed in: members of other banks decide by them whether they may
   * exchange with it. Its members and settings history are its members' (resolved fields).
   */
  async bank(principal: Principal, id: string): Promise<TimebankRecord> {
    return this.requireBank(this.dataSource.manager, requireUuid(id, 'id'));
  }

  async settingsHistory(principal: Principal, timeBankId: string): Promise<SettingsChangeRecord[]> {
    this.requireMember(principal, timeBankId);
    return this.repository.listSettingsChanges(this.dataSource.manager, timeBankId);
  }

  // Members

  /**
   * Joins a member of the organisation to its time bank: opens their hours account with the bank's credit
   * line, once (joining again returns the same). A coordinator may join another member.
   */
  async join(principal: Principal, input: { timeBankId: string; personId: string | null }): Promise<BankMemberRecord> {
    const { personId: callerId } = requirePerson(principal);
    const timeBankId = requireUuid(input.timeBankId, 'timeBankId');
    const personId = input.personId === null ? callerId : requireUuid(input.personId, 'personId');
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const bank = await this.requireBank(manager, timeBankId, true);
      this.requireMember(principal, timeBankId);
      if (personId !== callerId) this.requireCoordinator(principal, timeBankId);
      const existing = await this.repository.findMember(manager, timeBankId, personId);
      if (existing !== null) return existing;
      const members = await this.organizations.activeMembers(manager, timeBankId);
      if (!members.some((member) => member.personId === personId)) {
        throw new DomainError(
          TIMEBANK_ERRORS.NOT_A_BANK_MEMBER,
          'Only members of the organisation join its time bank',
          {
            personId,
          },
        );
      }
      const opener = systemPrincipal('timebank.members', { organizations: new Set([timeBankId]) });
      const account = await this.accounts.openAccountIn(manager, opener, {
        id: stepId('timebank.member-account', timeBankId, personId),
        unitCode: bank.unitCode,
        holderId: personId,
        name: 'Hours',
        kind: 'MEMBER',
        creditLimit: bank.settings.defaultCreditMinutes,
        upperLimit: null,
      });
      const member: BankMemberRecord = {
        timebankId: timeBankId,
        personId,
        accountId: account.id,
        joinedAt: this.clock.now(),
      };
      await this.repository.insertMember(manager, member);
      await this.audit.record(manager, {
        actor: principal,
        action: 'TIME_BANK_JOINED',
        organizationId: timeBankId,
        relatedPartyId: personId,
        subject: { type: 'TIME_BANK_MEMBER', id: personId },
        after: { accountId: account.id, creditLimit: account.creditLimit.toString() },
      });
      return member;
    });
  }

  async members(principal: Principal, timeBankId: string): Promise<BankMemberRecord[]> {
    await this.requireBank(this.dataSource.manager, timeBankId);
    this.requireMember(principal, timeBankId);
    return this.repository.listMembers(this.dataSource.manager, timeBankId);
  }

  async membership(manager: EntityManager, timeBankId: string, personId: string): Promise<BankMemberRecord | null> {
    return this.repository.findMember(manager, timeBankId, personId);
  }

  // Offers and requests

  async publishListing(principal: Principal, input: NewListing): Promise<ListingRecord> {
    const { personId } = requirePerson(principal);
    const timeBankId = requireUuid(input.timeBankId, 'timeBankId');
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const bank = await this.requireBank(manager, timeBankId);
      this.requireMember(principal, timeBankId);
      const listing: ListingRecord = {
        id: requireUuid(input.id, 'id'),
        timebankId: timeBankId,
        authorId: personId,
        kind: input.kind,
        title: input.title.trim(),
        description: input.description.trim(),
        category: requireCategory(bank.settings, input.category),
        estimatedMinutes: input.estimatedMinutes,
        availability: input.availability.trim(),
        status: 'ACTIVE',
        createdAt: this.clock.now(),
        updatedAt: this.clock.now(),
      };
      if (listing.title.length === 0) invalidListing('title');
      if (!(await this.repository.insertListing(manager, listing))) {
        const existing = await this.repository.findListing(manager, listing.id);
        const same =
          existing !== null &&
          existing.authorId === personId &&
          existing.timebankId === timeBankId &&
          existing.kind === listing.kind &&
          existing.title === listing.title;
        if (!same) {
          throw new DomainError(TIMEBANK_ERRORS.LOG_ID_TAKEN, `The id ${listing.id} names another listing`, {
            id: listing.id,
          });
        }
        return existing;
      }
      return listing;
    });
  }

  async updateListing(principal: Principal, input: ListingChange): Promise<ListingRecord> {
    return this.changeListing(principal, input.listingId, (listing, bank) => ({
      ...listing,
      title: input.title?.trim() ?? listing.title,
      description: input.description?.trim() ?? listing.description,
      category: input.category === null ? listing.category : requireCategory(bank.settings, input.category),
      estimatedMinutes: input.estimatedMinutes ?? listing.estimatedMinutes,
      availability: input.availability?.trim() ?? listing.availability,
    }));
  }

  async withdrawListing(principal: Principal, listingId: string): Promise<ListingRecord> {
    return this.changeListing(principal, listingId, (listing) => ({ ...listing, status: 'WITHDRAWN' }));
  }

  private async changeListing(
    principal: Principal,
    listingId: string,
    change: (listing: ListingRecord, bank: TimebankRecord) => ListingRecord,
  ): Promise<ListingRecord> {
    const { personId } = requirePerson(principal);
    const id = requireUuid(listingId, 'listingId');
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const listing = await this.repository.findListing(manager, id, true);
      if (listing === null || !this.isMember(principal, listing.timebankId)) {
        throw new DomainError(TIMEBANK_ERRORS.LISTING_NOT_FOUND, `No listing ${id}`, { id });
      }
      if (listing.authorId !== personId && !this.isCoordinator(principal, listing.timebankId)) {
        throw new DomainError(TIMEBANK_ERRORS.NOT_THE_AUTHOR, 'Only its author or a coordinator changes a listing', {
          id,
        });
      }
      if (listing.status === 'WITHDRAWN') {
        throw new DomainError(TIMEBANK_ERRORS.LISTING_WITHDRAWN, 'The listing has been withdrawn', { id });
      }
      const bank = await this.requireBank(manager, listing.timebankId);
      const next = change(listing, bank);
      if (next.title.length === 0) invalidListing('title');
      return this.repository.updateListing(manager, { ...next, updatedAt: this.clock.now() });
    });
  }

  async listing(principal: Principal, id: string): Promise<ListingRecord> {
    const listing = await this.repository.findListing(this.dataSource.manager, requireUuid(id, 'id'));
    if (listing === null || !this.isMember(principal, listing.timebankId)) {
      throw new DomainError(TIMEBANK_ERRORS.LISTING_NOT_FOUND, `No listing ${id}`, { id });
    }
    return listing;
  }

  /** Active offers and requests of a bank, newest first: by words of their text, category, kind or author. */
  async listings(
    principal: Principal,
    filter: {
      timeBankId: string;
      search: string | null;
      category: string | null;
      kind: ListingKind | null;
      authorId: string | null;
      after: Position | null;
      limit: number;
    },
  ): Promise<ListingRecord[]> {
    const timeBankId = requireUuid(filter.timeBankId, 'timeBankId');
    await this.requireBank(this.dataSource.manager, timeBankId);
    this.requireMember(principal, timeBankId);
    const words = (filter.search ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    return this.repository.searchListings(this.dataSource.manager, {
      timebankId: timeBankId,
      words: words.slice(0, MAX_SEARCH_WORDS),
      category: filter.category,
      kind: filter.kind,
      authorId: filter.authorId === null ? null : requireUuid(filter.authorId, 'authorId'),
      after: filter.after,
      limit: filter.limit,
    });
  }

  // Access

  async requireBank(manager: EntityManager, id: string, lock = false): Promise<TimebankRecord> {
    const bank = await this.repository.findBank(manager, id, lock);
    if (bank === null) {
      throw new DomainError(TIMEBANK_ERRORS.TIME_BANK_NOT_FOUND, `No time bank has been set up for ${id}`, { id });
    }
    return bank;
  }

  isMember(principal: Principal, timeBankId: string): boolean {
    return principal.kind !== 'API_TOKEN' && rolesIn(principal, timeBankId).size > 0;
  }

  isCoordinator(principal: Principal, timeBankId: string): boolean {
    const roles = rolesIn(principal, timeBankId);
    return COORDINATING_ROLES.some((role) => roles.has(role));
  }

  requireMember(principal: Principal, timeBankId: string): void {
    if (!this.isMember(principal, timeBankId)) {
      throw new DomainError(TIMEBANK_ERRORS.NOT_A_BANK_MEMBER, 'Only members of the time bank do this', {
        timeBankId,
      });
    }
  }

  requireCoordinator(principal: Principal, timeBankId: string): void {
    if (!this.isCoordinator(principal, timeBankId)) {
      throw new DomainError(TIMEBANK_ERRORS.COORDINATOR_REQUIRED, 'Only a COORDINATOR or ADMIN of the bank does this', {
        timeBankId,
      });
    }
  }

  private sameUnit(bank: TimebankRecord, unitCode: string): TimebankRecord {
    if (bank.unitCode !== unitCode) {
      throw new DomainError(TIMEBANK_ERRORS.TIME_BANK_UNIT_TAKEN, `The bank is set up with unit ${bank.unitCode}`, {
        unitCode: bank.unitCode,
      });
    }
    return bank;
  }
}

function requireCategory(settings: TimebankSettings, category: string): string {
  const found = settings.categories.find((name) => name.toLowerCase() === category.trim().toLowerCase());
  if (found === undefined) {
    throw new DomainError(TIMEBANK_ERRORS.UNKNOWN_CATEGORY, `"${category}" is not one of the bank's categories`, {
      categories: settings.categories.join(', '),
    });
  }
  return found;
}

function invalidSettings(problem: string): never {
  throw new DomainError(TIMEBANK_ERRORS.INVALID_SETTINGS, `The settings are out of range: ${problem}`, { problem });
}

function invalidListing(field: string): never {
  throw new DomainError(TIMEBANK_ERRORS.INVALID_LISTING, `The listing needs a ${field}`, { problem: field });
}

function refuseEffect(problem: string): never {
  throw new DomainError(GOVERNANCE_ERRORS.INVALID_EFFECT, `The effect cannot be decided here: ${problem}`, { problem });
}
