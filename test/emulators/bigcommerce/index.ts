export { BigCommerceEmulator } from './bigcommerce-emulator.js';
export type { BigCommerceEmulatorOptions } from './bigcommerce-options.js';
export type { BcCart, BcCustomer, BcLineItem, LineItemDraft } from './bigcommerce-state.js';
export type { BigCommerceLineMergePolicy } from './cart-line-merge.js';
export { signCustomerLoginJwt, type CustomerLoginClaims } from './customer-login-jwt.js';
export type { RecordedRequest } from './http-helpers.js';
