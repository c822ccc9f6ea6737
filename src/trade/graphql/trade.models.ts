import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PageInfoModel } from '../../kernel/graphql/page-info.model.js';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import { formatQuantity } from '../rules/invoice-terms.js';
import { isOverdue, outstanding } from '../rules/invoice-lifecycle.js';
import type { OpenInvoice, Statement, StatementLine } from '../rules/statement.js';
import type {
  AutomaticPaymentRecord,
  ClearingParticipantRecord,
  ClearingRoundRecord,
  ClearingSetOffRecord,
  ClearingSettingRecord,
  InvoiceEventRecord,
  InvoiceLine,
  InvoiceRecord,
  InvoiceTotalsRecord,
} from '../trade.records.js';
import {
  AutomaticPaymentOutcomeEnum,
  ClearingConsentEnum,
  ClearingRoundStatusEnum,
  InvoiceEventKindEnum,
  InvoiceStatusEnum,
  StatementDirectionEnum,
} from './trade.enums.js';

@ObjectType('InvoiceLine')
export class InvoiceLineModel {
  @Field(() => Int)
  position!: number;

  @Field(() => String)
  description!: string;

  @Field(() => String, { description: 'A decimal with up to 3 places.' })
  quantity!: string;

  @Field(() => MoneyScalar)
  unitPrice!: bigint;

  @Field(() => MoneyScalar, { description: 'quantity × unitPrice, rounded half up to the minor unit.' })
  amount!: bigint;

  static from(line: InvoiceLine): InvoiceLineModel {
    return Object.assign(new InvoiceLineModel(), { ...line, quantity: formatQuantity(line.quantityThousandths) });
  }
}

@ObjectType('InvoiceEvent')
export class InvoiceEventModel {
  @Field(() => InvoiceEventKindEnum)
  kind!: InvoiceEventKindEnum;

  @Field(() => MoneyScalar, {
    description: 'ISSUED: the total; PAYMENT and SET_OFF: what it settled; REJECTED, CANCELLED: what was outstanding.',
  })
  amount!: bigint;

  @Field(() => ID, { nullable: true })
  paymentId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The ledger transaction of a payment.' })
  transactionId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The clearing round of a set-off.' })
  roundId!: string | null;

  @Field(() => String, { description: 'Who: person:<id> or system:<actor>.' })
  actor!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => Date)
  at!: Date;

  static from(event: InvoiceEventRecord): InvoiceEventModel {
    return Object.assign(new InvoiceEventModel(), { ...event, kind: event.kind as InvoiceEventKindEnum });
  }
}

@ObjectType('Invoice')
export class InvoiceModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  issuerId!: string;

  @Field(() => ID)
  payerId!: string;

  @Field(() => String)
  unitCode!: string;

  @Field(() => ID)
  creditAccountId!: string;

  @Field(() => String)
  reference!: string;

  @Field(() => String)
  notes!: string;

  @Field(() => String, { description: 'YYYY-MM-DD.' })
  dueOn!: string;

  @Field(() => MoneyScalar)
  total!: bigint;

  @Field(() => MoneyScalar, { description: 'Paid through the ledger.' })
  paid!: bigint;

  @Field(() => MoneyScalar, { description: 'Set off by clearing rounds.' })
  setOff!: bigint;

  @Field(() => MoneyScalar, { description: 'Still to pay: zero once paid, rejected or cancelled.' })
  outstanding!: bigint;

  @Field(() => InvoiceStatusEnum)
  status!: InvoiceStatusEnum;

  @Field(() => Boolean, { description: 'Open and past its due date (today, UTC).' })
  overdue!: boolean;

  @Field(() => String, { nullable: true })
  rejectionReason!: string | null;

  @Field(() => AutomaticPaymentOutcomeEnum, { nullable: true })
  automaticPayment!: AutomaticPaymentOutcomeEnum | null;

  @Field(() => String)
  issuedBy!: string;

  @Field(() => Date)
  issuedAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  static from(record: InvoiceRecord, today: string): InvoiceModel {
    return Object.assign(new InvoiceModel(), {
      ...record,
      outstanding: outstanding({ status: record.status, total: record.total, settled: record.paid + record.setOff }),
      status: record.status as InvoiceStatusEnum,
      overdue: isOverdue(record.status, record.dueOn, today),
      automaticPayment: record.automaticPayment as AutomaticPaymentOutcomeEnum | null,
    });
  }
}

@ObjectType('InvoiceEdge')
export class InvoiceEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => InvoiceModel)
  node!: InvoiceModel;
}

@ObjectType('InvoiceTotals')
export class InvoiceTotalsModel {
  @Field(() => String)
  unitCode!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => MoneyScalar)
  total!: bigint;

  @Field(() => MoneyScalar, { description: 'Paid and set off.' })
  settled!: bigint;

  @Field(() => MoneyScalar)
  outstanding!: bigint;

  static from(record: InvoiceTotalsRecord): InvoiceTotalsModel {
    return Object.assign(new InvoiceTotalsModel(), record);
  }
}

@ObjectType('InvoiceConnection')
export class InvoiceConnectionModel {
  @Field(() => [InvoiceEdgeModel])
  edges!: InvoiceEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;

  @Field(() => [InvoiceTotalsModel], {
    description: 'Over every invoice the filter selects (not only this page), by unit.',
  })
  totals!: InvoiceTotalsModel[];
}

@ObjectType('AutomaticPayment')
export class AutomaticPaymentModel {
  @Field(() => ID)
  payerId!: string;

  @Field(() => ID)
  issuerId!: string;

  @Field(() => String)
  unitCode!: string;

  @Field(() => ID)
  fromAccountId!: string;

  @Field(() => MoneyScalar)
  maxAmount!: bigint;

  @Field(() => String)
  setBy!: string;

  @Field(() => Date)
  setAt!: Date;

  static from(record: AutomaticPaymentRecord): AutomaticPaymentModel {
    return Object.assign(new AutomaticPaymentModel(), record);
  }
}

@ObjectType('TradeStatementLine')
export class StatementLineModel {
  @Field(() => Date)
  at!: Date;

  @Field(() => ID)
  invoiceId!: string;

  @Field(() => String)
  reference!: string;

  @Field(() => ID)
  counterpartyId!: string;

  @Field(() => StatementDirectionEnum)
  direction!: StatementDirectionEnum;

  @Field(() => InvoiceEventKindEnum)
  kind!: InvoiceEventKindEnum;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => MoneyScalar, { description: 'How the balance moved (positive: more is owed to you).' })
  change!: bigint;

  @Field(() => MoneyScalar)
  balance!: bigint;

  @Field(() => ID, { nullable: true })
  transactionId!: string | null;

  @Field(() => ID, { nullable: true })
  roundId!: string | null;

  static from(line: StatementLine): StatementLineModel {
    return Object.assign(new StatementLineModel(), {
      ...line,
      direction: line.direction as StatementDirectionEnum,
      kind: line.kind as InvoiceEventKindEnum,
    });
  }
}

@ObjectType('OpenInvoice')
export class OpenInvoiceModel {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => String)
  reference!: string;

  @Field(() => ID)
  counterpartyId!: string;

  @Field(() => StatementDirectionEnum)
  direction!: StatementDirectionEnum;

  @Field(() => String)
  dueOn!: string;

  @Field(() => MoneyScalar)
  outstanding!: bigint;

  static from(open: OpenInvoice): OpenInvoiceModel {
    return Object.assign(new OpenInvoiceModel(), { ...open, direction: open.direction as StatementDirectionEnum });
  }
}

@ObjectType('TradeStatement', {
  description:
    'Balance: what you are owed on open invoices less what you owe on open invoices you received. ' +
    'closingBalance = openingBalance + the lines’ changes = the open invoices at the end, netted.',
})
export class StatementModel {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  unitCode!: string;

  @Field(() => Date)
  from!: Date;

  @Field(() => Date)
  to!: Date;

  @Field(() => MoneyScalar)
  openingBalance!: bigint;

  @Field(() => MoneyScalar)
  closingBalance!: bigint;

  @Field(() => MoneyScalar, { description: 'Invoices you issued in the period.' })
  invoicedToOthers!: bigint;

  @Field(() => MoneyScalar, { description: 'Invoices you received in the period.' })
  invoicedByOthers!: bigint;

  @Field(() => MoneyScalar)
  paymentsReceived!: bigint;

  @Field(() => MoneyScalar)
  paymentsMade!: bigint;

  @Field(() => MoneyScalar, { description: 'Set off by clearing on invoices you issued.' })
  setOffReceivable!: bigint;

  @Field(() => MoneyScalar, { description: 'Set off by clearing on invoices you received.' })
  setOffPayable!: bigint;

  @Field(() => MoneyScalar, { description: 'The net change from rejected and cancelled invoices.' })
  withdrawn!: bigint;

  @Field(() => [StatementLineModel])
  lines!: StatementLineModel[];

  @Field(() => [OpenInvoiceModel], { description: 'Invoices still open at the end of the period.' })
  openInvoices!: OpenInvoiceModel[];

  @Field(() => String, { description: 'The lines as CSV (RFC 4180), amounts in minor units.' })
  csv!: string;

  static from(
    query: { organizationId: string; unitCode: string; from: Date; to: Date },
    statement: Statement,
    csv: string,
  ): StatementModel {
    return Object.assign(new StatementModel(), {
      ...query,
      ...statement,
      lines: statement.lines.map((line) => StatementLineModel.from(line)),
      openInvoices: statement.openInvoices.map((open) => OpenInvoiceModel.from(open)),
      csv,
    });
  }
}

@ObjectType('ClearingSettings')
export class ClearingSettingsModel {
  @Field(() => ID)
  federationId!: string;

  @Field(() => Boolean)
  consentByMembership!: boolean;

  @Field(() => Int)
  consentHours!: number;

  static from(record: ClearingSettingRecord): ClearingSettingsModel {
    return Object.assign(new ClearingSettingsModel(), record);
  }
}

@ObjectType('SetOffNotice', { description: 'What a round reduces one obligation by.' })
export class SetOffNoticeModel {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => ID, { description: 'The payer, who owes less.' })
  debtorId!: string;

  @Field(() => ID, { description: 'The issuer, who is owed less.' })
  creditorId!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => MoneyScalar, { description: 'What the obligation still owes afterwards.' })
  remaining!: bigint;

  static from(record: ClearingSetOffRecord): SetOffNoticeModel {
    return Object.assign(new SetOffNoticeModel(), record);
  }
}

@ObjectType('ClearingParticipant')
export class ClearingParticipantModel {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => ClearingConsentEnum)
  consent!: ClearingConsentEnum;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => MoneyScalar, {
    description: 'What the round clears for it: it is released from paying this much, and gives up receiving as much.',
  })
  cleared!: bigint;

  /** `setOffs`: the notices the caller sees; a participant's own are always among them. */
  static from(record: ClearingParticipantRecord, setOffs: readonly ClearingSetOffRecord[]): ClearingParticipantModel {
    let cleared = 0n;
    for (const setOff of setOffs) if (setOff.debtorId === record.organizationId) cleared += setOff.amount;
    return Object.assign(new ClearingParticipantModel(), {
      organizationId: record.organizationId,
      consent: record.consent as ClearingConsentEnum,
      decidedAt: record.decidedAt,
      cleared,
    });
  }
}

@ObjectType('ClearingRound')
export class ClearingRoundModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  federationId!: string;

  @Field(() => String)
  unitCode!: string;

  @Field(() => ClearingRoundStatusEnum)
  status!: ClearingRoundStatusEnum;

  @Field(() => Boolean)
  consentByMembership!: boolean;

  @Field(() => Date)
  consentDeadline!: Date;

  @Field(() => Int, { description: 'Raised by every recomputation (a decline, a lapse).' })
  version!: number;

  @Field(() => Int, { description: 'The obligations it considered.' })
  obligationCount!: number;

  @Field(() => MoneyScalar, { description: 'Total debt before: the sum of the obligations considered.' })
  totalDebtBefore!: bigint;

  @Field(() => MoneyScalar, { description: 'Total debt after the set-offs.' })
  totalDebtAfter!: bigint;

  @Field(() => MoneyScalar, {
    description: 'Net internal debt (the sum of positive net positions): unchanged by clearing, and its lower bound.',
  })
  netInternalDebt!: bigint;

  @Field(() => MoneyScalar)
  cleared!: bigint;

  @Field(() => String)
  createdBy!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => String, { nullable: true })
  executedBy!: string | null;

  @Field(() => Date, { nullable: true })
  executedAt!: Date | null;

  static from(round: ClearingRoundRecord): ClearingRoundModel {
    return Object.assign(new ClearingRoundModel(), {
      ...round,
      status: round.status as ClearingRoundStatusEnum,
      totalDebtBefore: round.totalDebt,
      totalDebtAfter: round.totalDebt - round.cleared,
    });
  }
}

@ObjectType('ClearingRoundEdge')
export class ClearingRoundEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => ClearingRoundModel)
  node!: ClearingRoundModel;
}

@ObjectType('ClearingRoundConnection')
export class ClearingRoundConnectionModel {
  @Field(() => [ClearingRoundEdgeModel])
  edges!: ClearingRoundEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}
