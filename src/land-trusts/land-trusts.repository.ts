import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { bigintFromColumn } from '../kernel/money/minor-units.js';
import type {
  ChargeRecord,
  FeeVersionRecord,
  LandTrustRecord,
  LeaseRecord,
  ParcelRecord,
  PaymentRecord,
  PaymentSource,
  ReliefKind,
  ReliefRecord,
  ResaleFormula,
} from './land-trusts.records.js';

type Row = Record<string, unknown>;

const day = (column: string, as = column) => `to_char(${column}, 'YYYY-MM-DD') AS ${as}`;

const TRUST_COLUMNS = `id, organization_id, name, unit_code, income_account_id, reserve_account_id, receipts_account_id,
  resale_formula, created_at`;
const PARCEL_COLUMNS = `id, trust_id, name, description, home_description, purchase_price, ${day('purchased_on')}, created_at`;
const LEASE_COLUMNS = `l.id, l.trust_id, t.organization_id, l.parcel_id, l.leaseholder_id, l.account_id, ${day('l.starts_on', 'starts_on')},
  ${day('l.ends_on', 'ends_on')}, l.due_day, ${day('l.terminated_on', 'terminated_on')}, l.termination_reason, l.terminated_by,
  l.created_by, l.created_at`;
const FEE_COLUMNS = `lease_id, ${day('effective_on')}, fee, reserve_share_points, motion_id, reason, recorded_by, recorded_at`;
const CHARGE_COLUMNS = `id, lease_id, period, ${day('due_on')}, amount, income_amount, reserve_amount, reserve_share_points,
  days_charged, days_in_period, transaction_id, posted_by, posted_at`;
const PAYMENT_COLUMNS = `id, lease_id, amount, source, from_account_id, ${day('received_on')}, memo, transaction_id, recorded_by,
  recorded_at`;
const RELIEF_COLUMNS = `id, charge_id, kind, amount, ${day('deferred_to')}, reason, motion_id, transaction_id, recorded_by, recorded_at`;

/** All of land trusts' SQL. Every method runs on the caller's manager (its database transaction). */
@Injectable()
export class LandTrustsRepository {
  // Trusts

  async insertTrust(manager: EntityManager, trust: Omit<LandTrustRecord, 'createdAt'>): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO land_trust (id, organization_id, name, unit_code, income_account_id, reserve_account_id,
         receipts_account_id, resale_formula)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
      [
        trust.id,
        trust.organizationId,
        trust.name,
        trust.unitCode,
        trust.incomeAccountId,
        trust.reserveAccountId,
        trust.receiptsAccountId,
        JSON.stringify(trust.resaleFormula),
      ],
    );
    return rows.length === 1;
  }

  async findTrust(manager: EntityManager, id: string, lock = false): Promise<LandTrustRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${TRUST_COLUMNS} FROM land_trust WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toTrust(rows[0]);
  }

  async findTrustOf(manager: EntityManager, organizationId: string): Promise<LandTrustRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${TRUST_COLUMNS} FROM land_trust WHERE organization_id = $1`, [
      organizationId,
    ]);
    return rows[0] === undefined ? null : toTrust(rows[0]);
  }

  async setResaleFormula(manager: EntityManager, id: string, formula: ResaleFormula): Promise<void> {
    await manager.query(`UPDATE land_trust SET resale_formula = $2 WHERE id = $1`, [id, JSON.stringify(formula)]);
  }

  // Parcels

  async insertParcel(manager: EntityManager, parcel: Omit<ParcelRecord, 'createdAt'>): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO land_parcel (id, trust_id, name, description, home_description, purchase_price, purchased_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7::date) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        parcel.id,
        parcel.trustId,
        parcel.name,
        parcel.description,
        parcel.homeDescription,
        parcel.purchasePriceMinor?.toString() ?? null,
        parcel.purchasedOn,
      ],
    );
    return rows.length === 1;
  }

  async parcelNameTaken(manager: EntityManager, trustId: string, name: string, exceptId: string): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `SELECT 1 FROM land_parcel WHERE trust_id = $1 AND name = $2 AND id <> $3`,
      [trustId, name, exceptId],
    );
    return rows.length > 0;
  }

  async findParcel(manager: EntityManager, id: string, lock = false): Promise<ParcelRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${PARCEL_COLUMNS} FROM land_parcel WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toParcel(rows[0]);
  }

  async listParcels(manager: EntityManager, trustId: string, afterName: string | null, limit: number) {
    const rows: Row[] = await manager.query(
      `SELECT ${PARCEL_COLUMNS} FROM land_parcel WHERE trust_id = $1 AND ($2::text IS NULL OR name > $2)
       ORDER BY name LIMIT $3`,
      [trustId, afterName, limit],
    );
    return rows.map(toParcel);
  }

  // Leases

  /**
   * Whether a person or an organisation has the id: read in the caller's transaction (a second connection
   * per lease would exhaust the pool under load). The twin of `ground_lease_leaseholder_fk`.
   */
  async partyExists(manager: EntityManager, id: string): Promise<boolean> {
    const rows: Row[] = await manager.query(`SELECT 1 FROM party WHERE id = $1`, [id]);
    return rows.length === 1;
  }

  async insertLease(
    manager: EntityManager,
    lease: Omit<LeaseRecord, 'createdAt' | 'organizationId' | 'terminatedOn' | 'terminationReason' | 'terminatedBy'>,
  ): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO ground_lease (id, trust_id, parcel_id, leaseholder_id, account_id, starts_on, ends_on, due_day, created_by)
       VALUES ($1, $2, $3, $4, $5, $6::date, $7::date, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        lease.id,
        lease.trustId,
        lease.parcelId,
        lease.leaseholderId,
        lease.accountId,
        lease.startsOn,
        lease.endsOn,
        lease.dueDay,
        lease.createdBy,
      ],
    );
    return rows.length === 1;
  }

  async findLease(manager: EntityManager, id: string, lock = false): Promise<LeaseRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${LEASE_COLUMNS} FROM ground_lease l JOIN land_trust t ON t.id = l.trust_id WHERE l.id = $1
       ${lock ? 'FOR UPDATE OF l' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toLease(rows[0]);
  }

  /** Leases whose dates overlap [startsOn, lastDay] on a parcel (lastDay null: open-ended). */
  async overlappingLeases(
    manager: EntityManager,
    parcelId: string,
    startsOn: string,
    lastDay: string | null,
  ): Promise<string[]> {
    const rows: Row[] = await manager.query(
      `SELECT id FROM ground_lease
       WHERE parcel_id = $1 AND starts_on <= COALESCE($3::date, 'infinity'::date)
         AND $2::date <= COALESCE(LEAST(ends_on, terminated_on), 'infinity'::date)
         AND starts_on <= COALESCE(LEAST(ends_on, terminated_on), 'infinity'::date)`,
      [parcelId, startsOn, lastDay],
    );
    return rows.map((row) => String(row['id']));
  }

  async listLeases(
    manager: EntityManager,
    filter: {
      trustId: string;
      parcelId: string | null;
      leaseholderIds: readonly string[] | null;
      afterId: string | null;
      limit: number;
    },
  ): Promise<LeaseRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${LEASE_COLUMNS} FROM ground_lease l JOIN land_trust t ON t.id = l.trust_id
       WHERE l.trust_id = $1 AND ($2::uuid IS NULL OR l.parcel_id = $2) AND ($3::uuid[] IS NULL OR l.leaseholder_id = ANY($3::uuid[]))
         AND ($4::uuid IS NULL OR l.id > $4)
       ORDER BY l.id LIMIT $5`,
      [filter.trustId, filter.parcelId, filter.leaseholderIds, filter.afterId, filter.limit],
    );
    return rows.map(toLease);
  }

  async leasesOf(manager: EntityManager, leaseholderIds: readonly string[]): Promise<LeaseRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${LEASE_COLUMNS} FROM ground_lease l JOIN land_trust t ON t.id = l.trust_id
       WHERE l.leaseholder_id = ANY($1::uuid[]) ORDER BY l.starts_on, l.id LIMIT 200`,
      [leaseholderIds],
    );
    return rows.map(toLease);
  }

  /**
   * Leases of a trust that may have charges due by `upTo`: started by then, not ended before the period after
   * their last charge. With the latest charged period of each.
   */
  async leasesToCharge(
    manager: EntityManager,
    filter: { trustId: string; upTo: string; afterId: string | null; limit: number },
  ): Promise<{ lease: LeaseRecord; lastPeriod: string | null }[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${LEASE_COLUMNS}, last.period AS last_period
       FROM ground_lease l JOIN land_trust t ON t.id = l.trust_id
       LEFT JOIN LATERAL (SELECT max(period) AS period FROM ground_lease_charge c WHERE c.lease_id = l.id) last ON true
       WHERE l.trust_id = $1 AND l.starts_on <= $2::date AND ($3::uuid IS NULL OR l.id > $3)
         AND (last.period IS NULL
              OR last.period < to_char(LEAST(COALESCE(LEAST(l.ends_on, l.terminated_on), $2::date), $2::date), 'YYYY-MM'))
       ORDER BY l.id LIMIT $4`,
      [filter.trustId, filter.upTo, filter.afterId, filter.limit],
    );
    return rows.map((row) => ({
      lease: toLease(row),
      lastPeriod: text(row['last_period']),
    }));
  }

  async terminateLease(
    manager: EntityManager,
    termination: { leaseId: string; terminatedOn: string; reason: string; terminatedBy: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE ground_lease SET terminated_on = $2::date, termination_reason = $3, terminated_by = $4 WHERE id = $1`,
      [termination.leaseId, termination.terminatedOn, termination.reason, termination.terminatedBy],
    );
  }

  /** The trust's leases whose charges, less waivers and payments, leave something owed; by id. */
  async leasesOwing(
    manager: EntityManager,
    filter: { trustId: string; afterId: string | null; limit: number },
  ): Promise<LeaseRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${LEASE_COLUMNS} FROM ground_lease l JOIN land_trust t ON t.id = l.trust_id
       WHERE l.trust_id = $1 AND ($2::uuid IS NULL OR l.id > $2)
         AND COALESCE((SELECT sum(amount) FROM ground_lease_charge c WHERE c.lease_id = l.id), 0)
           - COALESCE((SELECT sum(r.amount) FROM ground_lease_relief r JOIN ground_lease_charge c ON c.id = r.charge_id
                       WHERE c.lease_id = l.id AND r.kind = 'WAIVE'), 0)
           - COALESCE((SELECT sum(amount) FROM ground_lease_payment p WHERE p.lease_id = l.id), 0) > 0
       ORDER BY l.id LIMIT $3`,
      [filter.trustId, filter.afterId, filter.limit],
    );
    return rows.map(toLease);
  }

  // Fees

  async insertFee(manager: EntityManager, fee: Omit<FeeVersionRecord, 'recordedAt'>): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO ground_lease_fee (lease_id, effective_on, fee, reserve_share_points, motion_id, reason, recorded_by)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING lease_id`,
      [
        fee.leaseId,
        fee.effectiveOn,
        fee.feeMinor.toString(),
        fee.reserveSharePoints,
        fee.motionId,
        fee.reason,
        fee.recordedBy,
      ],
    );
    return rows.length === 1;
  }

  async listFees(manager: EntityManager, leaseIds: readonly string[]): Promise<FeeVersionRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${FEE_COLUMNS} FROM ground_lease_fee WHERE lease_id = ANY($1::uuid[]) ORDER BY lease_id, effective_on`,
      [leaseIds],
    );
    return rows.map(toFee);
  }

  // Charges

  /** Inserts the charges not there yet (a second run finds them); returns the ids it inserted. */
  async insertCharges(
    manager: EntityManager,
    charges: readonly Omit<ChargeRecord, 'postedAt'>[],
  ): Promise<Set<string>> {
    if (charges.length === 0) return new Set();
    const rows: Row[] = await manager.query(
      `INSERT INTO ground_lease_charge (id, lease_id, period, due_on, amount, income_amount, reserve_amount,
         reserve_share_points, days_charged, days_in_period, transaction_id, posted_by)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::bigint[], $6::bigint[], $7::bigint[],
         $8::integer[], $9::smallint[], $10::smallint[], $11::uuid[], $12::text[])
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        charges.map((c) => c.id),
        charges.map((c) => c.leaseId),
        charges.map((c) => c.period),
        charges.map((c) => c.dueOn),
        charges.map((c) => c.amountMinor.toString()),
        charges.map((c) => c.incomeMinor.toString()),
        charges.map((c) => c.reserveMinor.toString()),
        charges.map((c) => c.reserveSharePoints),
        charges.map((c) => c.daysCharged),
        charges.map((c) => c.daysInPeriod),
        charges.map((c) => c.transactionId),
        charges.map((c) => c.postedBy),
      ],
    );
    return new Set(rows.map((row) => String(row['id'])));
  }

  async listCharges(manager: EntityManager, leaseIds: readonly string[]): Promise<ChargeRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${CHARGE_COLUMNS} FROM ground_lease_charge WHERE lease_id = ANY($1::uuid[]) ORDER BY lease_id, period`,
      [leaseIds],
    );
    return rows.map(toCharge);
  }

  async findCharge(manager: EntityManager, id: string, lock = false): Promise<ChargeRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${CHARGE_COLUMNS} FROM ground_lease_charge WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toCharge(rows[0]);
  }

  // Payments

  async insertPayment(manager: EntityManager, payment: Omit<PaymentRecord, 'recordedAt'>): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO ground_lease_payment (id, lease_id, amount, source, from_account_id, received_on, memo, transaction_id,
         recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        payment.id,
        payment.leaseId,
        payment.amountMinor.toString(),
        payment.source,
        payment.fromAccountId,
        payment.receivedOn,
        payment.memo,
        payment.transactionId,
        payment.recordedBy,
      ],
    );
    return rows.length === 1;
  }

  async findPayment(manager: EntityManager, id: string): Promise<PaymentRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${PAYMENT_COLUMNS} FROM ground_lease_payment WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : toPayment(rows[0]);
  }

  async listPayments(manager: EntityManager, leaseIds: readonly string[]): Promise<PaymentRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${PAYMENT_COLUMNS} FROM ground_lease_payment WHERE lease_id = ANY($1::uuid[])
       ORDER BY lease_id, received_on, recorded_at, id`,
      [leaseIds],
    );
    return rows.map(toPayment);
  }

  // Relief

  async insertRelief(manager: EntityManager, relief: Omit<ReliefRecord, 'recordedAt'>): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO ground_lease_relief (id, charge_id, kind, amount, deferred_to, reason, motion_id, transaction_id, recorded_by)
       VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        relief.id,
        relief.chargeId,
        relief.kind,
        relief.amountMinor?.toString() ?? null,
        relief.deferredTo,
        relief.reason,
        relief.motionId,
        relief.transactionId,
        relief.recordedBy,
      ],
    );
    return rows.length === 1;
  }

  async findRelief(manager: EntityManager, id: string): Promise<ReliefRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${RELIEF_COLUMNS} FROM ground_lease_relief WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : toRelief(rows[0]);
  }

  async listReliefs(manager: EntityManager, leaseIds: readonly string[]): Promise<ReliefRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT r.id, r.charge_id, r.kind, r.amount, ${day('r.deferred_to', 'deferred_to')}, r.reason, r.motion_id,
         r.transaction_id, r.recorded_by, r.recorded_at
       FROM ground_lease_relief r JOIN ground_lease_charge c ON c.id = r.charge_id
       WHERE c.lease_id = ANY($1::uuid[]) ORDER BY r.recorded_at, r.id`,
      [leaseIds],
    );
    return rows.map(toRelief);
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function toTrust(row: Row): LandTrustRecord {
  return {
    id: String(row['id']),
    organizationId: String(row['organization_id']),
    name: String(row['name']),
    unitCode: String(row['unit_code']),
    incomeAccountId: String(row['income_account_id']),
    reserveAccountId: String(row['reserve_account_id']),
    receiptsAccountId: String(row['receipts_account_id']),
    resaleFormula: row['resale_formula'] as ResaleFormula,
    createdAt: row['created_at'] as Date,
  };
}

function toParcel(row: Row): ParcelRecord {
  return {
    id: String(row['id']),
    trustId: String(row['trust_id']),
    name: String(row['name']),
    description: String(row['description']),
    homeDescription: text(row['home_description']),
    purchasePriceMinor: row['purchase_price'] === null ? null : bigintFromColumn(row['purchase_price']),
    purchasedOn: text(row['purchased_on']),
    createdAt: row['created_at'] as Date,
  };
}

function toLease(row: Row): LeaseRecord {
  return {
    id: String(row['id']),
    trustId: String(row['trust_id']),
    organizationId: String(row['organization_id']),
    parcelId: String(row['parcel_id']),
    leaseholderId: String(row['leaseholder_id']),
    accountId: String(row['account_id']),
    startsOn: String(row['starts_on']),
    endsOn: text(row['ends_on']),
    dueDay: Number(row['due_day']),
    terminatedOn: text(row['terminated_on']),
    terminationReason: text(row['termination_reason']),
    terminatedBy: text(row['terminated_by']),
    createdBy: String(row['created_by']),
    createdAt: row['created_at'] as Date,
  };
}

function toFee(row: Row): FeeVersionRecord {
  return {
    leaseId: String(row['lease_id']),
    effectiveOn: String(row['effective_on']),
    feeMinor: bigintFromColumn(row['fee']),
    reserveSharePoints: Number(row['reserve_share_points']),
    motionId: text(row['motion_id']),
    reason: String(row['reason']),
    recordedBy: String(row['recorded_by']),
    recordedAt: row['recorded_at'] as Date,
  };
}

function toCharge(row: Row): ChargeRecord {
  return {
    id: String(row['id']),
    leaseId: String(row['lease_id']),
    period: String(row['period']),
    dueOn: String(row['due_on']),
    amountMinor: bigintFromColumn(row['amount']),
    incomeMinor: bigintFromColumn(row['income_amount']),
    reserveMinor: bigintFromColumn(row['reserve_amount']),
    reserveSharePoints: Number(row['reserve_share_points']),
    daysCharged: Number(row['days_charged']),
    daysInPeriod: Number(row['days_in_period']),
    transactionId: text(row['transaction_id']),
    postedBy: String(row['posted_by']),
    postedAt: row['posted_at'] as Date,
  };
}

function toPayment(row: Row): PaymentRecord {
  return {
    id: String(row['id']),
    leaseId: String(row['lease_id']),
    amountMinor: bigintFromColumn(row['amount']),
    source: String(row['source']) as PaymentSource,
    fromAccountId: text(row['from_account_id']),
    receivedOn: String(row['received_on']),
    memo: String(row['memo']),
    transactionId: String(row['transaction_id']),
    recordedBy: String(row['recorded_by']),
    recordedAt: row['recorded_at'] as Date,
  };
}

function toRelief(row: Row): ReliefRecord {
  return {
    id: String(row['id']),
    chargeId: String(row['charge_id']),
    kind: String(row['kind']) as ReliefKind,
    amountMinor: row['amount'] === null ? null : bigintFromColumn(row['amount']),
    deferredTo: text(row['deferred_to']),
    reason: String(row['reason']),
    motionId: text(row['motion_id']),
    transactionId: text(row['transaction_id']),
    recordedBy: String(row['recorded_by']),
    recordedAt: row['recorded_at'] as Date,
  };
}
