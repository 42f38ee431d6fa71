export * from './patterns.js';
export * from './scopes.js';
export * from './error-codes.js';
export * from './envelope.js';
export * from './session-user.js';
export * from './results.js';
export * from './dto/user.input.js';
export * from './dto/session.inputs.js';
