import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PersonPrincipal } from '../kernel/principal.js';
import type { AppConfig } from '../kernel/config/app-config.js';
import { APP_CONFIG } from '../kernel/config/config.module.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { AuthService } from '../auth/auth.service.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import {
  DEMO_ACCOUNTS,
  DEMO_ORGANIZATIONS,
  DEMO_PASSWORD,
  DEMO_PERSONS,
  DEMO_TRANSACTIONS,
  DEMO_UNITS,
  demoId,
  demoOrganizationId,
  demoPersonId,
} from './demo-ledger.js';

/**
 * Loads the demo federation when DEMO_DATA is on (never in production: configuration refuses it) and the
 * database holds no units yet, then prints the demo sign-ins.
 */
@Injectable()
export class DemoLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoLoader.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(OrganizationsRepository) private readonly organizations: OrganizationsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData || this.config.nodeEnv === 'production') return;
    const empty =
      (await this.accounts.units()).length === 0 &&
      (await this.organizations.listOrganizations(this.dataSource.manager, { kind: null, afterSlug: null, limit: 1 }))
        .length === 0;
    if (empty) await this.load();
    this.printSignIns();
  }

  private async load(): Promise<void> {
    const passwordHash = await this.auth.hashPassword(DEMO_PASSWORD, { email: '', name: '' });
    await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const federationId = demoOrganizationId('commonwealth-federation');
      for (const organization of DEMO_ORGANIZATIONS) {
        await this.organizations.insertOrganization(manager, {
          id: demoOrganizationId(organization.key),
          kind: organization.kind,
          name: organization.name,
          slug: organization.key,
          description: organization.description,
          balanceVisibility: organization.balanceVisibility,
        });
        if (organization.federated) {
          const membershipId = demoId(`federation-membership:${organization.key}`);
          await this.organizations.insertFederationMembership(manager, {
            id: membershipId,
            federationId,
            memberId: demoOrganizationId(organization.key),
          });
          await this.organizations.setFederationMembershipStatus(manager, membershipId, 'ACTIVE');
        }
      }
      for (const person of DEMO_PERSONS) {
        await this.organizations.insertPerson(manager, {
          id: demoPersonId(person.key),
          name: person.name,
          email: person.email,
          passwordHash,
        });
        for (const [organizationKey, roles] of Object.entries(person.roles)) {
          await this.organizations.insertMembership(manager, {
            id: demoId(`membership:${person.key}:${organizationKey}`),
            organizationId: demoOrganizationId(organizationKey),
            personId: demoPersonId(person.key),
            roles,
          });
        }
      }
    });
    // The ledger is set up as its stewards would: the issuers' treasurers create units and open accounts.
    const stewards: PersonPrincipal = {
      kind: 'PERSON',
      personId: demoPersonId('rosa'),
      sessionId: 'demo-loader',
      roles: new Map(DEMO_UNITS.map((unit) => [unit.issuerId, new Set(['MEMBER', 'TREASURER', 'ADMIN'])] as const)),
    };
    for (const unit of DEMO_UNITS) await this.accounts.createUnit(stewards, unit);
    for (const account of DEMO_ACCOUNTS) await this.accounts.openAccount(stewards, account);
    // Demo history is recorded by the loader itself, not on anyone's behalf.
    const results = await this.ledger.submit(DEMO_TRANSACTIONS.map((request) => ({ request, authorize: null })));
    const refused = results.filter((result) => !result.ok);
    if (refused.length > 0) throw new Error(`demo transactions refused: ${JSON.stringify(refused)}`);
    this.logger.log(
      `loaded the demo federation: ${DEMO_ORGANIZATIONS.length} organisations, ${DEMO_PERSONS.length} persons, ` +
        `${DEMO_UNITS.length} units, ${DEMO_ACCOUNTS.length} accounts, ${results.length} transactions`,
    );
  }

  private printSignIns(): void {
    const lines = DEMO_PERSONS.map((person) => `  ${person.email.padEnd(36)} ${person.name}`);
    this.logger.log(
      `DEMO sign-ins (demo data only, never in production), password "${DEMO_PASSWORD}":\n${lines.join('\n')}`,
    );
  }
}
