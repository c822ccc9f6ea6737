/** The audit log as stored: who did what to which subject, from what to what. Never edited. */
export interface AuditEventRecord {
  readonly id: bigint;
  readonly occurredAt: Date;
  readonly actorPersonId: string | null;
  readonly actorApiTokenId: string | null;
  /** A system actor (automatic work), such as `ledger.hold-expiry`. */
  readonly actorSystem: string | null;
  readonly organizationId: string;
  readonly relatedOrganizationId: string | null;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly before: unknown;
  readonly after: unknown;
}
