import { CAPTURE_PAYMENT_LIMITS, UNSUPPORTED_CURRENCY_MESSAGE } from '@suite/contracts';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class CreateChargeRequest {
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amountMinor!: number;

  @IsIn(CAPTURE_PAYMENT_LIMITS.currencies, { message: UNSUPPORTED_CURRENCY_MESSAGE })
  currency!: string;

  @IsString()
  @Length(1, 100)
  sourceToken!: string;

  @IsString()
  @Length(1, 200)
  merchantReference!: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  @MaxLength(2048)
  callbackUrl?: string;
}
