import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../principal.js';
import type { AuditEventRecord } from './audit.records.js';
import { AuditRepository } from './audit.repository.js';

/** One entry of the audit log, written in the caller's database transaction. */
export interface AuditEntry {
  /** Who acted. */
  readonly actor: Principal;
  /** What happened, such as MEMBERSHIP_ROLES_CHANGED (A-Z and _). */
  readonly action: string;
  /** Whose log it goes into. */
  readonly organizationId: string;
  /** What it happened to. */
  readonly subject: { readonly type: string; readonly id: string };
  readonly before?: unknown;
  readonly after?: unknown;
  /** Another party concerned (a new member organisation, an account's holder): its log shows it too. */
  readonly relatedPartyId?: string | null;
}

/**
 * The audit log, the one way every module writes it: always inside the database transaction of the change it
 * records, so that a change and its record commit together.
 */
@Injectable()
export class AuditService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AuditRepository) private readonly repository: AuditRepository,
  ) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await this.repository.insert(manager, {
      actorPersonId: entry.actor.kind === 'PERSON' ? entry.actor.personId : null,
      actorApiTokenId: entry.actor.kind === 'API_TOKEN' ? entry.actor.tokenId : null,
      actorSystem: entry.actor.kind === 'SYSTEM' ? entry.actor.actor : null,
      organizationId: entry.organizationId,
      relatedPartyId: entry.relatedPartyId ?? null,
      action: entry.action,
      subjectType: entry.subject.type,
      subjectId: entry.subject.id,
      before: entry.before ?? null,
      after: entry.after ?? null,
    });
  }

  /** An organisation's log (what happened to it or was done to a party it relates to), newest first. */
  async list(organizationId: string, beforeId: bigint | null, limit: number): Promise<AuditEventRecord[]> {
    return this.repository.list(this.dataSource.manager, organizationId, beforeId, limit);
  }
}
