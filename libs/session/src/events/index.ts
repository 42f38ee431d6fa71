export * from './session-event-settings.js';
export * from './session-event-log.js';
export * from './memory-session-events.js';
export * from '../store/redis/redis-session-events.js';
