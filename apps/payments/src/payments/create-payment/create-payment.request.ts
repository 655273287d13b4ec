import { CAPTURE_PAYMENT_LIMITS as LIMITS, UNSUPPORTED_CURRENCY_MESSAGE } from '@suite/contracts';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';

// Bounded to what the PSP accepts, so a request that passes here is never refused there.
export class CreatePaymentRequest {
  // Minor units (cents): money is never a float.
  @IsInt()
  @Min(LIMITS.minAmountMinor)
  @Max(LIMITS.maxAmountMinor)
  amountMinor!: number;

  @IsIn(LIMITS.currencies, { message: UNSUPPORTED_CURRENCY_MESSAGE })
  currency!: string;

  @IsString()
  @Length(1, LIMITS.maxSourceTokenLength)
  sourceToken!: string;

  @IsString()
  @Length(1, LIMITS.maxMerchantReferenceLength)
  merchantReference!: string;
}
