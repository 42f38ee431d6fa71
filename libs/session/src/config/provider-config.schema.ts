import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * Fields every provider block has. `type` picks the schema (see ProviderRegistry); a provider
 * type's own schema extends this one.
 */
export class ProviderBaseSchema {
  @IsString() @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'type must be 1-64 characters of A-Z a-z 0-9 _ -' }) type!: string;
  /** Per-attempt timeout of provider calls, in ms. */
  @IsOptional() @IsInt() @Min(100) @Max(60_000) timeoutMs?: number;
}

export class CommercetoolsProviderSchema extends ProviderBaseSchema {
  declare type: 'commercetools';
  @IsUrl(URL_OPTIONS) authUrl!: string;
  @IsUrl(URL_OPTIONS) apiUrl!: string;
  @IsString() @Matches(/^[a-z0-9-]{2,256}$/, { message: 'projectKey must be 2-256 characters of a-z 0-9 -' }) projectKey!: string;
  @IsString() @MinLength(1) clientId!: string;
  @IsString() @MinLength(1) clientSecret!: string;
  @IsOptional()
  @IsIn(['MergeWithExistingCustomerCart', 'UseAsNewActiveCustomerCart'])
  activeCartSignInMode?: 'MergeWithExistingCustomerCart' | 'UseAsNewActiveCustomerCart';
}

export class BigCommerceProviderSchema extends ProviderBaseSchema {
  declare type: 'bigcommerce';
  /** GraphQL Storefront API endpoint. */
  @IsUrl(URL_OPTIONS) graphqlUrl!: string;
  @IsString() @MinLength(1) storefrontToken!: string;
  @IsString() @Matches(/^[a-z0-9]{1,64}$/, { message: 'storeHash must be 1-64 characters of a-z 0-9' }) storeHash!: string;
  @IsOptional() @IsInt() @Min(1) channelId?: number;
  /** The API account that signs Customer Login JWTs (SSO). */
  @IsString() @MinLength(1) clientId!: string;
  @IsString() @MinLength(1) clientSecret!: string;
  /** The hosted storefront, for `/login/token/<jwt>` links. */
  @IsUrl(URL_OPTIONS) storefrontUrl!: string;
}

/** A shop's provider block once checked against its type's schema. */
export type ProviderSettings = ProviderBaseSchema;
