import { ApiProperty, type OpenAPIObject } from '@nestjs/swagger';

// What the simulator's routes answer, for its OpenAPI document: ChargeView, RefundView and
// the fault plan's settings. A field added to a view belongs here too, or the fuzz stage's
// response_schema_conformance reports it.

export class ChargeResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['succeeded', 'declined'] }) status!: string;
  @ApiProperty({ type: 'integer' }) amountMinor!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() merchantReference!: string;
  @ApiProperty({ type: 'integer' }) refundedMinor!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ChargeListResponse {
  @ApiProperty({ type: [ChargeResponse] }) data!: ChargeResponse[];
}

export class ChargeDeclinedResponse {
  @ApiProperty({ enum: [402] }) statusCode!: number;
  @ApiProperty({ enum: ['card_declined'] }) error!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: ChargeResponse }) charge!: ChargeResponse;
}

export class RefundResponse {
  @ApiProperty() id!: string;
  @ApiProperty() chargeId!: string;
  @ApiProperty({ type: 'integer' }) amountMinor!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class FaultSettingsResponse {
  @ApiProperty({ type: 'integer' }) latencyMs!: number;
  @ApiProperty() errorRate!: number;
  @ApiProperty() declineRate!: number;
  @ApiProperty() timeoutAfterChargeRate!: number;
  @ApiProperty({ type: 'integer' }) hangMs!: number;
  @ApiProperty() duplicateCallbacks!: boolean;
  @ApiProperty({ type: 'integer' }) seed!: number;
  @ApiProperty({ type: 'integer' }) nextErrors!: number;
  @ApiProperty({ type: 'integer' }) nextDeclines!: number;
  @ApiProperty({ type: 'integer' }) nextTimeoutsAfterCharge!: number;
}

// callbackUrl must be on one of the configured origins (PSP_CALLBACK_ORIGINS), which only the
// running simulator knows: the document names them. Another origin is a 422.
export function documentCallbackOrigins(document: OpenAPIObject, origins: readonly string[]): void {
  const request = document.components?.schemas?.['CreateChargeRequest'] as
    | { properties?: Record<string, { description?: string }> }
    | undefined;
  const callbackUrl = request?.properties?.['callbackUrl'];
  if (!callbackUrl) return;
  callbackUrl.description = `Where to post the charge's outcome; only on ${origins.join(', ') || '(no origin: none is accepted)'}`;
}
