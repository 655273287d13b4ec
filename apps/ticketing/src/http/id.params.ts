import { IsUUID } from 'class-validator';

// Ids are UUIDs: anything else is a 400 naming the field, never a database error.
export class IdParams {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
