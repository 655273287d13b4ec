import { ApiProperty, ApiPropertyOptional, type OpenAPIObject } from '@nestjs/swagger';
import { ORDER_FAILURE_REASONS } from '../checkout/domain/order-status';
import { HOLD_STATUSES } from '../holds/domain/hold';

// What ticketing's routes answer, for its OpenAPI document. Each class mirrors a view the
// handlers return (EventSummary, SeatView, HoldView, OrderView); a field added to a view
// belongs here too, or response_schema_conformance in the fuzz stage reports it.

export class EventSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) venueId!: string;
  @ApiProperty({ example: 'Flash sale: the 10,000-seat arena' }) name!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ type: 'integer', description: 'Price of one seat in minor units' })
  priceMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class EventListResponse {
  @ApiProperty({ type: [EventSummaryResponse] }) events!: EventSummaryResponse[];
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
  @ApiProperty({ enum: HOLD_STATUSES })
  status!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) orderId!: string | null;
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
    enum: Object.keys(ORDER_FAILURE_REASONS),
    description: 'Only on a failed order or one that needs attention',
  })
  reason?: string;
  @ApiPropertyOptional() reasonMessage?: string;
}

export class CheckoutPendingResponse {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: ['pending'] }) status!: string;
  @ApiProperty({ example: '/orders/0b9c…', description: 'Poll this until the order is final' })
  statusUrl!: string;
}

// POST /holds refuses what its DTO cannot say: a seat named twice (400). The schema's
// maxItems is the absolute bound every deployment accepts as a request; a deployment's own
// cap (MAX_SEATS_PER_HOLD, a setting below it) is a refusal of a well-formed request, 422,
// so the gateway, which cannot know the setting, documents the same request as ticketing.
export function documentPlaceHold(document: OpenAPIObject): void {
  const request = document.components?.schemas?.['PlaceHoldRequest'] as
    | { properties?: Record<string, { uniqueItems?: boolean }> }
    | undefined;
  const seatIds = request?.properties?.['seatIds'];
  if (seatIds) seatIds.uniqueItems = true;
}
