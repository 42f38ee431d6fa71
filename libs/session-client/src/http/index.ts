export * from './attach-session.js';
export * from './before-headers.js';
export * from './cookie-header.js';
export * from './express-middleware.js';
export * from './nest-session.guard.js';
export * from './session-adapter.options.js';
export * from './storefront-session.js';
