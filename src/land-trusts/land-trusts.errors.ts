import { declareReasons } from '../kernel/errors/domain-error.js';

/** Reasons raised by land trusts: parcels, leases, fees, charges, payments and relief. */
export const LAND_TRUSTS_ERRORS = declareReasons('land-trusts', {
  LAND_TRUST_NOT_FOUND: ['NOT_FOUND', 'No land trust has this id (or the organisation runs none).'],
  PARCEL_NOT_FOUND: ['NOT_FOUND', 'No parcel of a land trust has this id.'],
  LEASE_NOT_FOUND: ['NOT_FOUND', 'No ground lease has this id.'],
  CHARGE_NOT_FOUND: ['NOT_FOUND', 'No ground-lease charge has this id.'],
  STEWARD_REQUIRED: [
    'FORBIDDEN',
    'Only a steward of the land trust (TREASURER, ADMIN or COORDINATOR of its organisation) may do this.',
  ],
  TRUST_ROLE_REQUIRED: [
    'FORBIDDEN',
    'Only a TREASURER or ADMIN of the organisation sets up its land trust or its resale formula.',
  ],
  TRUST_NOT_VISIBLE: [
    'FORBIDDEN',
    "Only the members of the trust's organisation see it, its parcels and its resale prices.",
  ],
  LEASE_STATEMENT_NOT_VISIBLE: [
    'FORBIDDEN',
    "A lease's statement is seen by its leaseholder and the trust's stewards only.",
  ],
  MAY_NOT_PAY: ['FORBIDDEN', 'Only the leaseholder (or a steward) pays toward a lease from a ledger account.'],
  TRUST_EXISTS: ['CONFLICT', 'The organisation runs a land trust already, or the id names another one.'],
  UNIT_NOT_ISSUED_BY_TRUST: [
    'VALIDATION_FAILED',
    'A land trust keeps its books in a unit its own organisation issues.',
  ],
  LEASEHOLDER_NOT_FOUND: ['VALIDATION_FAILED', 'No person or organisation has the leaseholder id.'],
  INVALID_LEASE: [
    'VALIDATION_FAILED',
    'The lease, fee, payment or relief is not well formed (`details.problem` says how).',
  ],
  INVALID_RESALE_FORMULA: [
    'VALIDATION_FAILED',
    'The resale formula or the sale cannot be computed (`details.problem`).',
  ],
  LEASES_OVERLAP: ['CONFLICT', 'Another lease of the parcel runs during these dates: end or terminate it first.'],
  LEASE_ENDED: ['CONFLICT', 'The lease has ended or was terminated: it takes no more changes.'],
  PERIOD_ALREADY_CHARGED: [
    'CONFLICT',
    'The date falls in a period charged already: a change takes effect from the first uncharged period.',
  ],
  WAIVER_EXCEEDS_CHARGE: ['CONFLICT', 'The waiver is more than what is left of the charge to waive.'],
  DEFERRAL_NOT_LATER: ['CONFLICT', 'A deferral moves the due date later than it is now.'],
  ID_IN_USE: ['CONFLICT', 'The id names another record: a new one needs a new id.'],
  WRONG_UNIT: ['VALIDATION_FAILED', "The paying account is not in the land trust's unit."],
});
