import { IsUUID } from 'class-validator';

// Payment ids are UUIDs: anything else is a 400 naming the field, as in every service.
export class PaymentIdParams {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
