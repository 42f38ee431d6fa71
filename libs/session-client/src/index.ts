export * from './session-client.js';
export * from './session-client.options.js';
export * from './session-client.module.js';
export * from './session-service.error.js';
export * from './set-cookie-header.js';
export * from './http/index.js';
export * from './session-events.consumer.js';
export * from './contract-methods.js';
