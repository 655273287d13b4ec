import { PLACE_HOLD_LIMITS as LIMITS } from '@suite/contracts';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUUID, Length } from 'class-validator';

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
