import { IsInt, IsString, Length, Max, Min } from 'class-validator';

export class CreateRefundRequest {
  @IsString()
  @Length(1, 100)
  chargeId!: string;

  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amountMinor!: number;
}
