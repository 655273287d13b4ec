import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// What ticketing answers on its public routes, relayed unchanged: for the OpenAPI document.

export class EventSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) venueId!: string;
  @ApiProperty({ example: 'Flash sale: the 10,000-seat arena' }) name!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ type: 'integer', description: 'Price of one seat in minor units' })
  priceMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class EventListResponse {
  @ApiProperty({ type: [EventSummary] }) events!: EventSummary[];
}

export class SeatResponse {
  @ApiProperty({ example: 'A-1-12' }) seatId!: string;
  @ApiProperty({ example: 'A' }) section!: string;
  @ApiProperty({ example: '1' }) row!: string;
  @ApiProperty({ type: 'integer' }) number!: number;
  @ApiProperty({ enum: ['available', 'held', 'sold'] }) availability!: string;
}

export class SeatListResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ type: 'integer', description: 'Seats matching the filter, over all pages' })
  total!: number;
  @ApiProperty({ type: [SeatResponse] }) seats!: SeatResponse[];
}

export class HoldResponse {
  @ApiProperty({ format: 'uuid' }) holdId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ description: 'The token subject that placed the hold; only it may use it' })
  userId!: string;
  @ApiProperty({ type: [String] }) seatIds!: string[];
  @ApiProperty({
    description: 'Fencing token per seat',
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  tokens!: Record<string, number>;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ enum: ['active', 'checking-out', 'released', 'expired', 'purchased'] })
  status!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) orderId!: string | null;
}

export class CheckoutResponse {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: ['pending'] }) status!: string;
  @ApiProperty({ example: '/orders/0b9c…', description: 'Poll this until the order is final' })
  statusUrl!: string;
}

export class TicketResponse {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty() seatId!: string;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: ['pending', 'completed', 'failed', 'needs-attention'] }) status!: string;
  @ApiProperty({ format: 'uuid' }) holdId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ type: [String] }) seatIds!: string[];
  @ApiProperty({ type: 'integer' }) amountMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [TicketResponse] }) tickets!: TicketResponse[];
  @ApiPropertyOptional({
    enum: [
      'hold-not-valid',
      'payment-declined',
      'payment-unavailable',
      'seats-unavailable',
      'checkout-timed-out',
      'checkout-failed',
      'needs-attention',
    ],
    description: 'Only on a failed order or one that needs attention',
  })
  reason?: string;
  @ApiPropertyOptional() reasonMessage?: string;
}
