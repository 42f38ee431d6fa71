import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import type { AuthMethod } from '../envelope.js';
import { CredentialsInput } from './session.inputs.js';

/**
 * session.reauthenticate: the logged-in shopper proves who they are again, one of:
 * - `{ credentials }` through the shop's commerce provider (throttled like a login);
 * - `{ customerLoginJwt }` BigCommerce SSO;
 * - `{ trusted: true }` the caller verified the shopper itself (shops without a provider).
 * It must be the session's own customer; the ID rotates, nothing else changes.
 */
export class ReauthenticateInput {
  @ValidateIf((o: ReauthenticateInput) => o.customerLoginJwt === undefined && o.trusted === undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => CredentialsInput)
  credentials?: CredentialsInput;

  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(4096) customerLoginJwt?: string;

  @IsOptional() @IsIn([true], { message: 'trusted must be true when sent' }) trusted?: true;

  /** See LoginInput.clientKey. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(256) clientKey?: string;
}

export interface ReauthenticateResult {
  /** ISO time of this re-authentication. */
  authenticatedAt: string;
  authMethod: AuthMethod;
}
