import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { bigintFromColumn } from '../money/minor-units.js';
import type { AuditEventRecord } from './audit.records.js';

type Row = Record<string, unknown>;

/** The audit log's SQL (table `audit_event`, append-only by trigger). */
@Injectable()
export class AuditRepository {
  async insert(
    manager: EntityManager,
    event: Omit<AuditEventRecord, 'id' | 'occurredAt' | 'relatedOrganizationId'> & { relatedPartyId: string | null },
  ): Promise<void> {
    // The log is kept per organisation: a related party is recorded when it is one.
    await manager.query(
      `INSERT INTO audit_event (actor_person_id, actor_api_token_id, actor_system, organization_id,
         related_organization_id, action, subject_type, subject_id, before, after)
       VALUES ($1, $2, $10, $3, (SELECT id FROM organization WHERE id = $4::uuid), $5, $6, $7, $8, $9)`,
      [
        event.actorPersonId,
        event.actorApiTokenId,
        event.organizationId,
        event.relatedPartyId,
        event.action,
        event.subjectType,
        event.subjectId,
        event.before === null ? null : JSON.stringify(event.before),
        event.after === null ? null : JSON.stringify(event.after),
        event.actorSystem,
      ],
    );
  }

  async list(
    manager: EntityManager,
    organizationId: string,
    beforeId: bigint | null,
    limit: number,
  ): Promise<AuditEventRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT id, occurred_at, actor_person_id, actor_api_token_id, actor_system, organization_id, related_organization_id,
              action, subject_type, subject_id, before, after
       FROM audit_event
       WHERE (organization_id = $1 OR related_organization_id = $1) AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [organizationId, beforeId?.toString() ?? null, limit],
    );
    return rows.map((row): AuditEventRecord => ({
      id: bigintFromColumn(row['id']),
      occurredAt: row['occurred_at'] as Date,
      actorPersonId: (row['actor_person_id'] as string | null) ?? null,
      actorApiTokenId: (row['actor_api_token_id'] as string | null) ?? null,
      actorSystem: (row['actor_system'] as string | null) ?? null,
      organizationId: String(row['organization_id']),
      relatedOrganizationId: (row['related_organization_id'] as string | null) ?? null,
      action: String(row['action']),
      subjectType: String(row['subject_type']),
      subjectId: String(row['subject_id']),
      before: row['before'] ?? null,
      after: row['after'] ?? null,
    }));
  }
}
