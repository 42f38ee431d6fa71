import type { RpcRoute } from '#libs/session';
import type { ServiceMetrics } from './service-metrics.js';
import type { SessionTcpServer } from '../transport/session-tcp.server.js';

/**
 * Routes every RPC method to the transport, timed from the moment the transport hands the
 * call over (before its token is checked) to its answer or error. Patterns are the
 * registered ones only, so the label set stays bounded. (Calls in flight are the
 * transport's own count, read when scraped.)
 */
export function routeInstrumented(server: SessionTcpServer, routes: RpcRoute[], metrics: ServiceMetrics): void {
  for (const { pattern, handle } of routes) {
    // The success series is bound once: observing it then skips the label lookup (hot path).
    const ok = metrics.rpcDuration.labels({ pattern, code: 'OK' });
    server.route(pattern, (payload) => {
      const started = performance.now();
      return handle(payload).then((answer) => {
        const seconds = (performance.now() - started) / 1000;
        if (answer.err) metrics.rpcDuration.observe({ pattern, code: answer.err.code }, seconds);
        else ok.observe(seconds);
        return answer;
      }); // never rejects
    });
  }
}
