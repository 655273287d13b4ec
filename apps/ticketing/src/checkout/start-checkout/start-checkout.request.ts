import { IsString, IsUUID, Length } from 'class-validator';

export class StartCheckoutRequest {
  @IsUUID('all', { message: 'holdId must be a UUID' })
  holdId!: string;

  // A token for the card or wallet, as the PSP issued it; never a card number.
  @IsString()
  @Length(1, 200)
  paymentSource!: string;
}
