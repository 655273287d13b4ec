import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class RefundPaymentRequest {
  // Absent: refund everything not yet refunded.
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amountMinor?: number;
}
