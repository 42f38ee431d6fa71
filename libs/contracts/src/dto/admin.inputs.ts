import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { USER_ID_PATTERN } from '../session-user.js';

const USER_ID_MESSAGE = 'userId must be 1-128 characters of A-Z a-z 0-9 _ @ -';

/** A raw session ID (`<uuid>` or `<userId>:<uuid>`), or a handle; a user-bound handle needs `userId` too. */
export class AdminGetSessionInput {
  @IsString() @MaxLength(512) sessionId!: string;
  @IsOptional() @IsString() @Matches(USER_ID_PATTERN, { message: USER_ID_MESSAGE }) userId?: string;
}

/** Force-logout by an operator: in the request's shop, or with `allShops: true` in every configured shop. */
export class AdminRevokeInput {
  @IsString() @Matches(USER_ID_PATTERN, { message: USER_ID_MESSAGE }) userId!: string;

  /** Raw session IDs or handles to keep. */
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(512, { each: true }) sessionsToKeep?: string[];

  @IsOptional() @IsBoolean() allShops?: boolean;
}

export class AdminAuditTailInput {
  @IsOptional() @IsInt() @Min(1) @Max(1000) count?: number;
}
