import { randomUUID } from 'node:crypto';
import { IsString, Matches } from 'class-validator';
import { ProviderBaseSchema } from '#libs/session';
import {
  ProviderError,
  type ProviderCredentials,
  type ProviderLogin,
  type ProviderLogout,
  type SupportsCustomerLoginUrls,
  type TokenProvider,
} from '#libs/token-providers';

/** The config block of the `acme` provider type: `{ "type": "acme", "realm": "..." }`. */
export class AcmeProviderSchema extends ProviderBaseSchema {
  @IsString() @Matches(/^[a-z]{1,32}$/, { message: 'realm must be 1-32 characters of a-z' }) realm!: string;
}

/**
 * An in-process commerce platform, as an embedder would plug its own in: customers and their
 * passwords in a map, opaque tokens. It makes customer login links (a capability) but has
 * no single sign-on tokens and no hosted checkout.
 */
export class AcmeTokenProvider implements TokenProvider, SupportsCustomerLoginUrls {
  readonly kind = 'acme';
  readonly issued = new Set<string>();

  constructor(
    private readonly settings: AcmeProviderSchema,
    private readonly customers: ReadonlyMap<string, { id: string; password: string }>,
  ) {}

  async login(credentials: ProviderCredentials): Promise<ProviderLogin> {
    const customer = this.customers.get(credentials.email);
    if (!customer || customer.password !== credentials.password) {
      throw new ProviderError('INVALID_CREDENTIALS', 'unknown customer or wrong password', { provider: 'acme', operation: 'login' });
    }
    const accessToken = randomUUID();
    this.issued.add(accessToken);
    return {
      tokens: { accessToken, expirationTime: Date.now() + 3_600_000 },
      customerId: customer.id,
      cartId: null,
      customer: { email: credentials.email },
    };
  }

  async logout(tokens: { accessToken: string }): Promise<ProviderLogout> {
    this.issued.delete(tokens.accessToken);
    return { guestCartId: null };
  }

  customerLoginUrl(customerId: string, redirectTo = '/'): string {
    return `https://${this.settings.realm}.acme.example/sso/${encodeURIComponent(customerId)}?next=${encodeURIComponent(redirectTo)}`;
  }
}
