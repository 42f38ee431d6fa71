import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { USER_ID_PATTERN } from '../session-user.js';
import { UserInput, UserPayload } from './user.input.js';

export class CredentialsInput {
  @IsEmail() @MaxLength(254) email!: string;
  @IsString() @IsNotEmpty() @MaxLength(1024) password!: string;
}

/**
 * session.login, one of:
 * - `{ user }`: a trusted login by a caller that verified the shopper itself;
 * - `{ credentials }`: a login through the shop's commerce provider;
 * - `{ customerLoginJwt }`: BigCommerce SSO with a Customer Login JWT.
 */
export class LoginInput {
  @ValidateIf((o: LoginInput) => o.credentials === undefined && o.customerLoginJwt === undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => UserInput)
  user?: UserInput;

  @ValidateIf((o: LoginInput) => o.user === undefined && o.customerLoginJwt === undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => CredentialsInput)
  credentials?: CredentialsInput;

  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(4096) customerLoginJwt?: string;

  /** With credentials: who is trying (e.g. the shopper's IP address), for login throttling; stored only as an HMAC. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(256) clientKey?: string;
}

/** providerCart.set: what the storefront created or finished at the provider. Absent fields stay as they are. */
export class ProviderCartInput {
  /** The provider's cart id (BigCommerce entityId, commercetools cart id); null forgets it. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @Matches(/^[A-Za-z0-9_:-]+$/, { message: 'cartId must be 1-128 characters of A-Z a-z 0-9 _ : -' })
  cartId?: string | null;

  /** The order the cart became at checkout; null forgets it. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @Matches(/^[A-Za-z0-9_:-]+$/, { message: 'lastOrderId must be 1-128 characters of A-Z a-z 0-9 _ : -' })
  lastOrderId?: string | null;
}

export class CustomerLoginUrlInput {
  /** Relative path on the storefront to land on after the login. */
  @IsOptional()
  @IsString()
  @Matches(/^\/[^\s]*$/, { message: 'redirectTo must be a relative path starting with /' })
  @MaxLength(2048)
  redirectTo?: string;
}

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
