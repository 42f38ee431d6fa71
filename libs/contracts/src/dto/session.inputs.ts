import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { USER_ID_PATTERN } from '../session-user.js';
import { UserPayload } from './user.input.js';

/** session.login: a trusted login by a caller that verified the shopper itself. */
export class LoginInput extends UserPayload {}

/** session.updateUser: replaces the stored user; the id must stay the logged-in user's. */
export class UpdateUserInput extends UserPayload {}

export class UpdateCustomDataInput {
  @IsObject()
  customData!: Record<string, unknown>;
}

export class DestroyForUserInput {
  @IsString()
  @Matches(USER_ID_PATTERN, { message: 'userId must be 1-128 characters of A-Z a-z 0-9 _ @ -' })
  userId!: string;

  /** Raw session IDs or session handles (from admin.sessions.list) to keep. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(512, { each: true })
  sessionsToKeep?: string[];
}

export class ListSessionsInput {
  @IsString()
  @Matches(USER_ID_PATTERN, { message: 'userId must be 1-128 characters of A-Z a-z 0-9 _ @ -' })
  userId!: string;
}
