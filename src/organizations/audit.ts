import type { Principal } from '../kernel/principal.js';
import type { NewAuditEvent } from './organizations.records.js';

/** Who did it, in the audit log's terms. */
export function auditActor(principal: Principal): Pick<NewAuditEvent, 'actorPersonId' | 'actorApiTokenId'> {
  return principal.kind === 'PERSON'
    ? { actorPersonId: principal.personId, actorApiTokenId: null }
    : { actorPersonId: null, actorApiTokenId: principal.tokenId };
}
