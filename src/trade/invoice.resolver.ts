import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { toConnection } from '../kernel/graphql/connection.js';
import { decodePositionCursor } from '../kernel/graphql/cursor.js';
import { requireStorableDate } from '../kernel/graphql/dates.js';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import { requireUuid } from '../kernel/ids.js';
import type { Principal } from '../kernel/principal.js';
import {
  InvoiceIdInput,
  InvoicesArgs,
  IssueInvoiceInput,
  PayInvoiceInput,
  RejectInvoiceInput,
  SetAutomaticPaymentInput,
  StatementArgs,
} from './graphql/trade.inputs.js';
import {
  AutomaticPaymentModel,
  InvoiceConnectionModel,
  InvoiceEventModel,
  InvoiceLineModel,
  InvoiceModel,
  InvoiceTotalsModel,
  StatementModel,
} from './graphql/trade.models.js';
import { InvoicesService } from './invoices.service.js';
import { statementCsv } from './rules/statement.js';

@Resolver(() => InvoiceModel)
export class InvoiceResolver {
  constructor(@Inject(InvoicesService) private readonly service: InvoicesService) {}

  @Mutation(() => InvoiceModel, {
    description:
      'Issues an invoice to another organisation (TREASURER or ADMIN of the issuer). Where the payer set up ' +
      'automatic payment for your invoices, it is paid at once up to their limit.',
  })
  async issueInvoice(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: IssueInvoiceInput,
  ): Promise<InvoiceModel> {
    const invoice = await this.service.issue(principal, {
      ...input,
      issuerId: input.issuerId.toLowerCase(),
      payerId: input.payerId.toLowerCase(),
      id: input.id.toLowerCase(),
      creditAccountId: input.creditAccountId.toLowerCase(),
    });
    return InvoiceModel.from(invoice, this.service.today());
  }

  @Mutation(() => InvoiceModel, { description: 'Accepts an invoice: it becomes an obligation (the payer).' })
  async acceptInvoice(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: InvoiceIdInput,
  ): Promise<InvoiceModel> {
    return InvoiceModel.from(await this.service.accept(principal, id(input.invoiceId)), this.service.today());
  }

  @Mutation(() => InvoiceModel, { description: 'Rejects an invoice not yet accepted, with a reason (the payer).' })
  async rejectInvoice(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RejectInvoiceInput,
  ): Promise<InvoiceModel> {
    return InvoiceModel.from(
      await this.service.reject(principal, id(input.invoiceId), input.reason),
      this.service.today(),
    );
  }

  @Mutation(() => InvoiceModel, { description: 'Cancels an invoice nothing of which is settled (the issuer).' })
  async cancelInvoice(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: InvoiceIdInput,
  ): Promise<InvoiceModel> {
    return InvoiceModel.from(await this.service.cancel(principal, id(input.invoiceId)), this.service.today());
  }

  @Mutation(() => InvoiceModel, {
    description:
      "Pays an invoice, in full or in part, from the payer's account: a ledger transaction with the invoice as " +
      'its authority. The same paymentId replays it.',
  })
  async payInvoice(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: PayInvoiceInput,
  ): Promise<InvoiceModel> {
    const invoice = await this.service.pay(principal, {
      invoiceId: id(input.invoiceId),
      paymentId: id(input.paymentId),
      fromAccountId: id(input.fromAccountId),
      amount: input.amount,
    });
    return InvoiceModel.from(invoice, this.service.today());
  }

  @Mutation(() => AutomaticPaymentModel, {
    nullable: true,
    description:
      "Pays an issuer's invoices up to a limit when they arrive, within your account's credit line (the payer's " +
      'TREASURER or ADMIN). A null maxAmount removes it (and answers null).',
  })
  async setAutomaticPayment(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SetAutomaticPaymentInput,
  ): Promise<AutomaticPaymentModel | null> {
    const setting = await this.service.setAutomaticPayment(principal, {
      payerId: id(input.payerId),
      issuerId: id(input.issuerId),
      unitCode: input.unitCode,
      fromAccountId: input.fromAccountId === null || input.fromAccountId === undefined ? null : id(input.fromAccountId),
      maxAmount: input.maxAmount ?? null,
    });
    return setting === null ? null : AutomaticPaymentModel.from(setting);
  }

  @Query(() => InvoiceModel, { description: 'An invoice your organisation issued or received.' })
  async invoice(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) invoiceId: string,
  ): Promise<InvoiceModel> {
    return InvoiceModel.from(await this.service.invoice(principal, requireUuid(invoiceId, 'id')), this.service.today());
  }

  @Query(() => InvoiceConnectionModel, {
    description: "An organisation's invoices, newest first, filtered; with totals over the whole filter (its members).",
  })
  async invoices(
    @CurrentPrincipal() principal: Principal,
    @Args() args: InvoicesArgs,
  ): Promise<InvoiceConnectionModel> {
    const { rows, totals } = await this.service.invoices(
      principal,
      {
        organizationId: requireUuid(args.organizationId, 'organizationId'),
        direction: args.direction,
        statuses: args.statuses ?? null,
        overdue: args.overdue,
        counterpartyId:
          args.counterpartyId === null || args.counterpartyId === undefined ? null : id(args.counterpartyId),
        unitCode: args.unitCode ?? null,
        issuedFrom:
          args.issuedFrom === null || args.issuedFrom === undefined
            ? null
            : requireStorableDate(args.issuedFrom, 'issuedFrom'),
        issuedBefore:
          args.issuedBefore === null || args.issuedBefore === undefined
            ? null
            : requireStorableDate(args.issuedBefore, 'issuedBefore'),
      },
      { after: decodePositionCursor('invoice', args.after), limit: args.first + 1 },
    );
    const today = this.service.today();
    const connection = toConnection(
      rows,
      args.first,
      'invoice',
      (row) => `${row.issuedAt.toISOString()}|${row.id}`,
      (row) => InvoiceModel.from(row, today),
    );
    return Object.assign(new InvoiceConnectionModel(), {
      ...connection,
      totals: (await totals()).map((record) => InvoiceTotalsModel.from(record)),
    });
  }

  @Query(() => [AutomaticPaymentModel], { description: "An organisation's automatic payments (its members)." })
  async automaticPayments(
    @CurrentPrincipal() principal: Principal,
    @Args('organizationId', { type: () => ID }) organizationId: string,
  ): Promise<AutomaticPaymentModel[]> {
    const settings = await this.service.automaticPayments(principal, requireUuid(organizationId, 'organizationId'));
    return settings.map((setting) => AutomaticPaymentModel.from(setting));
  }

  @Query(() => StatementModel, {
    description:
      "An organisation's statement of trade in a unit for [from, to): opening balance, every invoice, payment and " +
      'set-off, closing balance, open invoices, and CSV (its members).',
  })
  async tradeStatement(@CurrentPrincipal() principal: Principal, @Args() args: StatementArgs): Promise<StatementModel> {
    const query = {
      organizationId: requireUuid(args.organizationId, 'organizationId'),
      unitCode: args.unitCode,
      from: requireStorableDate(args.from, 'from'),
      to: requireStorableDate(args.to, 'to'),
    };
    const statement = await this.service.statement(principal, query);
    return StatementModel.from(query, statement, statementCsv(statement));
  }

  @ResolveField(() => [InvoiceLineModel])
  async lines(@Parent() invoice: InvoiceModel): Promise<InvoiceLineModel[]> {
    return (await this.service.lines(invoice.id)).map((line) => InvoiceLineModel.from(line));
  }

  @ResolveField(() => [InvoiceEventModel], { description: 'Its history: issued, accepted, payments, set-offs.' })
  async events(@Parent() invoice: InvoiceModel): Promise<InvoiceEventModel[]> {
    return (await this.service.events(invoice.id)).map((event) => InvoiceEventModel.from(event));
  }
}

function id(value: string): string {
  return value.toLowerCase();
}
