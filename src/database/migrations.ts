import { LedgerFoundation1763780000000 } from '../../migrations/1763780000000-LedgerFoundation.js';
import { OrganizationsAndAccess1763900000000 } from '../../migrations/1763900000000-OrganizationsAndAccess.js';
import { LedgerBatchLock1764000000000 } from '../../migrations/1764000000000-LedgerBatchLock.js';

/** Every migration, oldest first. Listed explicitly so that the same list runs compiled and under test. */
export const MIGRATIONS = [
  LedgerFoundation1763780000000,
  OrganizationsAndAccess1763900000000,
  LedgerBatchLock1764000000000,
];
