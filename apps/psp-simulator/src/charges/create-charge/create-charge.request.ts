import {
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class CreateChargeRequest {
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amountMinor!: number;

  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code, e.g. EUR' })
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
