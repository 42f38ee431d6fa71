import { nearestKey } from './check-config-schema.js';

/** The service's own variables start so; others in the environment are none of its business. */
const OWN_PREFIXES = /^(SESSION_|REDIS_)/;
/** Read by sessionctl, which may share an environment (a container) with the service. */
const SESSIONCTL_VARIABLES = new Set(['SESSION_SERVICE_URL', 'SESSION_SERVICE_TOKEN', 'SESSION_SHOP']);

/**
 * The environment as the config loader sees it, recording each variable it reads. The set of
 * known variables is then whatever the loader reads, so a variable added there is known
 * without being listed anywhere else.
 */
export function recordingEnv(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; read: Set<string> } {
  const read = new Set<string>();
  const proxy = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name);
    },
  });
  return { env: proxy, read };
}

/**
 * A warning for each SESSION_* / REDIS_* variable that is set but was not read (misspelled,
 * retired, or meaningless in this configuration), with the nearest variable that was read.
 */
export function unreadVariableWarnings(env: NodeJS.ProcessEnv, read: ReadonlySet<string>): string[] {
  const known = [...read].filter((name) => OWN_PREFIXES.test(name));
  return Object.keys(env)
    .filter((name) => OWN_PREFIXES.test(name) && !read.has(name) && !SESSIONCTL_VARIABLES.has(name))
    .sort()
    .map((name) => {
      const nearest = nearestKey(name, known);
      return `${name} is set but the service does not read it${nearest ? ` (did you mean ${nearest}?)` : ''}; it is ignored.`;
    });
}
