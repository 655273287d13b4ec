import { CAPTURE_PAYMENT_LIMITS } from '@suite/contracts';
import { IsString, IsUUID, Length } from 'class-validator';

const MAX_SOURCE = CAPTURE_PAYMENT_LIMITS.maxSourceTokenLength;

export class StartCheckoutRequest {
  @IsUUID('all', { message: 'holdId must be a UUID' })
  holdId!: string;

  // A token for the card or wallet, as the PSP issued it; never a card number. Bounded to
  // what payments and the PSP accept, so a checkout is refused here rather than failing
  // after its saga started.
  @IsString({ message: 'paymentSource must be a string' })
  @Length(1, MAX_SOURCE, {
    message: `paymentSource must be 1 to ${MAX_SOURCE} characters long`,
  })
  paymentSource!: string;
}
