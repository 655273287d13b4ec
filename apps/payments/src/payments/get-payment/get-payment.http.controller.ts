import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import type { TypeOrmTransactions } from '../../database/typeorm-transactions';
import { isUuid } from '../../http/validation';
import { toPaymentView, type PaymentView } from '../domain/payment-view';
import { PaymentsRepository } from '../infra/payments.repository';
import { TRANSACTIONS } from '../../database/payments-database.module';
import { Inject } from '@nestjs/common';

@Controller('payments')
export class GetPaymentHttpController {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: TypeOrmTransactions,
    private readonly payments: PaymentsRepository,
  ) {}

  @Get(':id')
  async get(@Param('id') id: string): Promise<PaymentView> {
    const payment = isUuid(id)
      ? await this.transactions.inTransaction((sql) => this.payments.findById(sql, id))
      : null;
    if (!payment) throw new NotFoundException(`no payment ${id}`);
    return toPaymentView(payment);
  }
}
