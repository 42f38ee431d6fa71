import type { ResolvedBigCommerceOptions } from './bigcommerce-options.js';
import type { BcCustomer, BigCommerceState } from './bigcommerce-state.js';

/** What a GraphQL operation sees of one request. */
export interface OperationContext {
  state: BigCommerceState;
  options: ResolvedBigCommerceOptions;
  /** Customer identified by a valid `X-Bc-Customer-Access-Token`, if any. */
  customer: BcCustomer | undefined;
  /** The raw CAT header value when it identified a customer. */
  accessToken: string | undefined;
  requestIp: string;
  /** Origin for checkout redirect URLs. */
  baseUrl: string;
  now: () => number;
}
