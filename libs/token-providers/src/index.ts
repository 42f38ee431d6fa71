export { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.js';
export { circuitChannel, providerCallChannel, type CircuitEvent, type ProviderCallEvent } from './provider-diagnostics.js';
export { HttpClient, type HttpClientOptions, type HttpRequest, type HttpResponse } from './http.js';
export { ProviderError, isProviderError, type ProviderErrorCode, type ProviderErrorDetails, type ProviderKind } from './provider-error.js';
export type {
  GuestCartRef,
  ProviderCredentials,
  ProviderCustomer,
  ProviderLogin,
  ProviderLogout,
  ProviderTokens,
  TokenProvider,
} from './provider.js';
export { ProviderSession, type ProviderSessionData } from './provider-session.js';
export {
  supportsCheckoutUrls,
  supportsCustomerLoginJwt,
  supportsCustomerLoginUrls,
  type CheckoutRedirectUrls,
  type SupportsCheckoutUrls,
  type SupportsCustomerLoginJwt,
  type SupportsCustomerLoginUrls,
} from './capabilities.js';
export { loginCartOutcome, type LoginCartOutcome } from './login-cart-outcome.js';
export {
  CommercetoolsTokenProvider,
  type AnonymousSession,
  type CommercetoolsProviderOptions,
  type Introspection,
} from './commercetools/commercetools.provider.js';
export { mapCommercetoolsError } from './commercetools/commercetools-errors.js';
export { BigCommerceTokenProvider, type BigCommerceProviderOptions } from './bigcommerce/bigcommerce.provider.js';
export { mapBigCommerceErrors } from './bigcommerce/bigcommerce-errors.js';
export { CustomerLoginJwtMinter, type CustomerLoginJwtInput, type CustomerLoginJwtOptions } from './bigcommerce/customer-login-jwt.js';
