import { ApiProperty } from '@nestjs/swagger';
import { CAPTURE_PAYMENT_LIMITS, PLACE_HOLD_LIMITS } from '@suite/contracts';

// The request bodies of ticketing's routes, for the OpenAPI document. The gateway does not
// validate bodies against them: ticketing owns its validation and answers a clear 400.

export class PlaceHoldRequest {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({
    type: 'array',
    minItems: 1,
    maxItems: PLACE_HOLD_LIMITS.maxSeats,
    uniqueItems: true,
    items: { type: 'string', minLength: 1, maxLength: PLACE_HOLD_LIMITS.maxSeatIdLength },
    description: "Seat ids; ticketing caps a hold's size by its own configuration (10 by default)",
    example: ['A-1-12', 'A-1-13'],
  })
  seatIds!: string[];
}

export class CheckoutRequest {
  @ApiProperty({ format: 'uuid' }) holdId!: string;
  @ApiProperty({
    minLength: 1,
    maxLength: CAPTURE_PAYMENT_LIMITS.maxSourceTokenLength,
    description: 'PSP token for the card or wallet, never a card number',
    example: 'tok_visa',
  })
  paymentSource!: string;
}
