import { ConfigError, loadServiceConfig } from '#libs/session';
import { startSessionService, stopSessionService } from './bootstrap.js';
import { JsonLogger } from './logging/json-logger.js';

try {
  const config = loadServiceConfig();
  // Production: JSON lines for a log shipper; development: Nest's readable lines.
  const app = await startSessionService(config, config.production ? { logger: new JsonLogger() } : {});
  // SIGTERM (and Ctrl-C) drain the calls in flight, then exit 0; a second signal is ignored.
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stopSessionService(app).then(
        () => process.exit(0),
        (e: unknown) => {
          console.error(e);
          process.exit(1);
        },
      );
    });
  }
} catch (e) {
  // A bad configuration stops start-up with a message naming each bad field, not a stack trace.
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
