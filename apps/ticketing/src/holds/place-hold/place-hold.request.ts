import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUUID, Length } from 'class-validator';

export class PlaceHoldRequest {
  @IsUUID('all', { message: 'eventId must be a UUID' })
  eventId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  seatIds!: string[];
}
