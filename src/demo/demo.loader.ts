import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import type { AppConfig } from '../kernel/config/app-config.js';
import { APP_CONFIG } from '../kernel/config/config.module.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import type { Principal } from '../kernel/principal.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import {
  DEMO_ACCOUNTS,
  DEMO_ORGANIZATIONS,
  DEMO_PASSWORD,
  DEMO_PERSONS,
  DEMO_TRANSACTIONS,
  DEMO_UNITS,
  demoAdminOf,
} from './demo-data.js';
import type { DemoWorld } from './demo-world.js';
import { GovernanceDemo } from './governance-demo.js';
import { TimebankDemo } from './timebank-demo.js';
import { StrikeFundsDemo } from './strike-funds-demo.js';
import { RedistributionDemo } from './redistribution-demo.js';
import { TradeDemo } from './trade-demo.js';
import { LandTrustsDemo } from './land-trusts-demo.js';

/**
 * Loads the demo federation when DEMO_DATA is on (never in production: configuration refuses it) and the
 * database holds no units or organisations yet, then prints the demo sign-ins. Everything is done as the
 * demo's people would do it, each signed in with their own session and held to the same rules: admins
 * create their organisations and take members in, a federation admits its members, treasurers issue units,
 * open accounts and move value.
 */
@Injectable()
export class DemoLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoLoader.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(GovernanceDemo) private readonly governance: GovernanceDemo,
    @Inject(TimebankDemo) private readonly timebank: TimebankDemo,
    @Inject(StrikeFundsDemo) private readonly strikeFunds: StrikeFundsDemo,
    @Inject(RedistributionDemo) private readonly redistribution: RedistributionDemo,
    @Inject(TradeDemo) private readonly trade: TradeDemo,
    @Inject(LandTrustsDemo) private readonly landTrusts: LandTrustsDemo,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData || this.config.nodeEnv === 'production') return;
    const empty =
      (await this.accounts.units()).length === 0 &&
      (await this.organizations.organizations({ kind: null, afterSlug: null, limit: 1 })).length === 0;
    if (empty) await this.load();
    this.printSignIns();
  }

  private async load(): Promise<void> {
    const sessions = new Map<string, string>();
    for (const person of DEMO_PERSONS) {
      const session = await this.auth.register({ email: person.email, name: person.name, password: DEMO_PASSWORD });
      sessions.set(person.key, session.accessToken);
    }
    // A principal is read when its person signs in; it is read again after roles change.
    const as = async (personKey: string): Promise<Principal> => this.auth.authenticate(sessions.get(personKey) ?? '');
    const personIds = new Map<string, string>();
    for (const person of DEMO_PERSONS) {
      const principal = await as(person.key);
      if (principal.kind === 'PERSON') personIds.set(person.key, principal.personId);
    }

    const organizationIds = new Map<string, string>();
    for (const organization of DEMO_ORGANIZATIONS) {
      const admin = demoAdminOf(organization.key);
      const created = await this.organizations.createOrganization(await as(admin.key), {
        kind: organization.kind,
        name: organization.name,
        slug: organization.key,
        description: organization.description,
        balanceVisibility: organization.balanceVisibility,
      });
      organizationIds.set(organization.key, created.id);
    }
    for (const organization of DEMO_ORGANIZATIONS) {
      const organizationId = required(organizationIds, organization.key);
      const adminKey = demoAdminOf(organization.key).key;
      const admin = await as(adminKey);
      for (const person of DEMO_PERSONS) {
        const roles = person.roles[organization.key];
        if (roles === undefined) continue;
        if (person.key === adminKey) {
          const own = (await this.organizations.myMemberships(admin)).find((m) => m.organizationId === organizationId);
          if (own !== undefined) await this.organizations.setMemberRoles(admin, own.id, roles);
        } else {
          await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
            await this.organizations.requireRole(admin, organizationId, ['ADMIN'], manager);
            await this.organizations.addMember(manager, admin, {
              organizationId,
              personId: required(personIds, person.key),
              roles,
            });
          });
        }
      }
    }
    const federationAdmin = await as(demoAdminOf('commonwealth-federation').key);
    for (const organization of DEMO_ORGANIZATIONS.filter((candidate) => candidate.federated)) {
      const request = await this.organizations.requestFederationMembership(
        await as(demoAdminOf(organization.key).key),
        {
          organizationId: required(organizationIds, organization.key),
          federationId: required(organizationIds, 'commonwealth-federation'),
        },
      );
      await this.organizations.decideFederationMembership(federationAdmin, request.id, true);
    }

    for (const unit of DEMO_UNITS) {
      await this.accounts.createUnit(await as(unit.treasurer), {
        code: unit.code,
        name: unit.name,
        kind: unit.kind,
        scale: unit.scale,
        issuerId: required(organizationIds, unit.issuer),
      });
    }
    for (const account of DEMO_ACCOUNTS) {
      const unit = DEMO_UNITS.find((candidate) => candidate.code === account.unitCode);
      await this.accounts.openAccount(await as(unit?.treasurer ?? ''), {
        id: account.id,
        unitCode: account.unitCode,
        holderId:
          'organization' in account.holder
            ? required(organizationIds, account.holder.organization)
            : required(personIds, account.holder.person),
        name: account.name,
        kind: account.kind,
        creditLimit: account.creditLimit,
        upperLimit: null,
      });
    }
    for (const transaction of DEMO_TRANSACTIONS) {
      await this.ledger.submitOne(await as(transaction.by), transaction.request);
    }
    const world: DemoWorld = {
      as,
      personId: (key) => required(personIds, key),
      organizationId: (key) => required(organizationIds, key),
    };
    await this.governance.load(world);
    await this.timebank.load(world);
    await this.strikeFunds.load(world);
    await this.redistribution.load(world);
    await this.trade.load(world);
    await this.landTrusts.load(world);
    for (const person of DEMO_PERSONS) await this.auth.logout(await as(person.key));
    this.logger.log(
      `loaded the demo federation: ${DEMO_ORGANIZATIONS.length} organisations, ${DEMO_PERSONS.length} persons, ` +
        `${DEMO_UNITS.length} units, ${DEMO_ACCOUNTS.length} accounts, ${DEMO_TRANSACTIONS.length} transactions`,
    );
  }

  private printSignIns(): void {
    const lines = DEMO_PERSONS.map((person) => `  ${person.email.padEnd(36)} ${person.name}`);
    this.logger.log(
      `DEMO sign-ins (demo data only, never in production), password "${DEMO_PASSWORD}":\n${lines.join('\n')}`,
    );
  }
}

function required(ids: ReadonlyMap<string, string>, key: string): string {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`the demo has no ${key}`);
  return id;
}
