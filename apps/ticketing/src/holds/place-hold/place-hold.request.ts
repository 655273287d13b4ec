import { PLACE_HOLD_LIMITS as LIMITS } from '@suite/contracts';
import { ValidShape } from '@suite/service-kit';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsString,
  IsUUID,
  Length,
  isUUID,
  length,
} from 'class-validator';

// The request every buyer sends, recognised without running the decorators below (see
// ValidShape): the same class-validator functions the decorators call, on the two fields
// and nothing else. A spec proves it accepts nothing they refuse; anything else (an extra
// field, a broken rule) goes through them, so every 400 is worded by them.
export function isValidPlaceHoldRequest(body: Record<string, unknown>): boolean {
  let fields = 0;
  for (const name in body) {
    if (name !== 'eventId' && name !== 'seatIds') return false;
    fields++;
  }
  const { eventId, seatIds } = body;
  if (fields !== 2 || !isUUID(eventId, 'all') || !Array.isArray(seatIds)) return false;
  if (seatIds.length < 1 || seatIds.length > LIMITS.maxSeats) return false;
  for (const seatId of seatIds) {
    if (!length(seatId, 1, LIMITS.maxSeatIdLength)) return false;
  }
  return true;
}

@ValidShape(isValidPlaceHoldRequest)
export class PlaceHoldRequest {
  @IsUUID('all', { message: 'eventId must be a UUID' })
  eventId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.maxSeats)
  @IsString({ each: true })
  @Length(1, LIMITS.maxSeatIdLength, { each: true })
  seatIds!: string[];
}
