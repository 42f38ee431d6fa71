export { CommercetoolsEmulator } from './commercetools-emulator.js';
export type { CommercetoolsEmulatorOptions } from './commercetools-options.js';
export type { Cart, CustomLineItem, LineItem, Money } from './cart-model.js';
export { mergeAnonymousCart, type MergeInput, type MergeOutcome, type SignInMode } from './cart-merge.js';
export type { CtCustomer, CustomerSeed, ShippingMethod } from './commercetools-state.js';
export type { RecordedRequest } from './http-helpers.js';
export type { TokenResponse } from './token-store.js';
