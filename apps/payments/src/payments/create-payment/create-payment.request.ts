import { CAPTURE_PAYMENT_LIMITS as LIMITS } from '@suite/contracts';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

// Bounded to what the PSP accepts, so a request that passes here is never refused there.
export class CreatePaymentRequest {
  // Minor units (cents): money is never a float.
  @IsInt()
  @Min(LIMITS.minAmountMinor)
  @Max(LIMITS.maxAmountMinor)
  amountMinor!: number;

  @Matches(LIMITS.currencyPattern, {
    message: 'currency must be a 3-letter ISO 4217 code, e.g. EUR',
  })
  currency!: string;

  @IsString()
  @Length(1, LIMITS.maxSourceTokenLength)
  sourceToken!: string;

  @IsString()
  @Length(1, LIMITS.maxMerchantReferenceLength)
  merchantReference!: string;
}
