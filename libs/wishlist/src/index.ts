export * from './wishlist-item.js';
export * from './wishlist-limits.js';
export * from './wishlist-operations.js';
export * from './merge-wishlists.js';
