import { CAPTURE_PAYMENT_LIMITS, IDEMPOTENCY_KEY_MAX_LENGTH } from '@suite/contracts';
import { IsOptional, IsString, Length } from 'class-validator';

// Either or both; each once (a repeated parameter is not a string and is refused).
export class FindChargesQuery {
  @IsOptional()
  @IsString()
  @Length(1, IDEMPOTENCY_KEY_MAX_LENGTH)
  idempotencyKey?: string;

  @IsOptional()
  @IsString()
  @Length(1, CAPTURE_PAYMENT_LIMITS.maxMerchantReferenceLength)
  merchantReference?: string;
}
