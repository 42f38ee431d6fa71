import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { IsNotEmpty, IsObject, IsString, Matches, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { USER_ID_PATTERN } from '../session-user.js';

/** A user as callers send it: `id` is checked; other fields are kept as they are. */
export class UserInput {
  @IsString()
  @IsNotEmpty()
  @Matches(USER_ID_PATTERN, { message: 'id must be 1-128 characters of A-Z a-z 0-9 _ @ -' })
  id!: string;

  [field: string]: unknown;
}

export class UserPayload {
  @IsObject()
  @ValidateNested()
  @Type(() => UserInput)
  user!: UserInput;
}
