import { ConfigError, loadServiceConfig } from '#libs/session';
import { startSessionService } from './bootstrap.js';

try {
  await startSessionService(loadServiceConfig());
} catch (e) {
  // A bad configuration stops start-up with a message naming each bad field, not a stack trace.
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
