import { BigCommerceTokenProvider, CommercetoolsTokenProvider } from '#libs/token-providers';
import { BigCommerceProviderSchema, CommercetoolsProviderSchema, type ProviderBaseSchema } from '../config/provider-config.schema.js';
import { ProviderRegistry } from './provider-registry.js';

/** The per-attempt timeout of a provider block, as HttpClient options. */
export function providerHttpOptions(settings: ProviderBaseSchema): { http?: { timeoutMs: number } } {
  return settings.timeoutMs === undefined ? {} : { http: { timeoutMs: settings.timeoutMs } };
}

/** A registry holding the built-in types, `commercetools` and `bigcommerce`; register more on it. */
export function defaultProviderRegistry(): ProviderRegistry {
  return new ProviderRegistry()
    .register('commercetools', {
      schema: CommercetoolsProviderSchema,
      create: (p) =>
        new CommercetoolsTokenProvider({
          authUrl: p.authUrl,
          apiUrl: p.apiUrl,
          projectKey: p.projectKey,
          clientId: p.clientId,
          clientSecret: p.clientSecret,
          ...(p.activeCartSignInMode ? { activeCartSignInMode: p.activeCartSignInMode } : {}),
          ...providerHttpOptions(p),
        }),
    })
    .register('bigcommerce', {
      schema: BigCommerceProviderSchema,
      create: (p) =>
        new BigCommerceTokenProvider({
          graphqlUrl: p.graphqlUrl,
          storefrontToken: p.storefrontToken,
          customerLogin: {
            clientId: p.clientId,
            clientSecret: p.clientSecret,
            storeHash: p.storeHash,
            storefrontUrl: p.storefrontUrl,
            ...(p.channelId ? { channelId: p.channelId } : {}),
          },
          ...providerHttpOptions(p),
        }),
    });
}
