export * from './violation.js';
export * from './line-key.js';
export * from './id-rules.js';
export * from './cart-line.js';
export * from './cart-limits.js';
export * from './cart-operations.js';
export * from './merge-carts.js';
