import { LIST_SEATS_LIMITS as LIMITS } from '@suite/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class ListSeatsQuery {
  @IsOptional()
  @IsString()
  @Length(1, LIMITS.maxSectionLength)
  section?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxLimit)
  limit = 100;

  // Bounded so Postgres's bigint OFFSET can never be handed something it refuses (1e20).
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(LIMITS.maxOffset)
  offset = 0;
}
