import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

// Every field optional: PUT /admin/faults changes only what it names.
export class UpdateFaultsRequest {
  @IsOptional() @IsInt() @Min(0) @Max(600_000) latencyMs?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) errorRate?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) declineRate?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) timeoutAfterChargeRate?: number;
  @IsOptional() @IsInt() @Min(0) @Max(600_000) hangMs?: number;
  @IsOptional() @IsBoolean() duplicateCallbacks?: boolean;
  // The generator keeps 32 bits of it.
  @IsOptional() @IsInt() @Min(0) @Max(0xffff_ffff) seed?: number;
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) nextErrors?: number;
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) nextDeclines?: number;
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) nextTimeoutsAfterCharge?: number;
}
