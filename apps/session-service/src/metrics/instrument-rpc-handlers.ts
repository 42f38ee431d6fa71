import type { ServerTCP } from '@nestjs/microservices';
import { from, isObservable, tap, type Observable } from 'rxjs';
import type { ServiceMetrics } from './service-metrics.js';

type Handler = ((data: unknown, context: unknown) => Promise<unknown>) & Record<string, unknown>;

/**
 * Wraps every registered RPC handler so that each call is timed from the moment the
 * transport hands it over (before the guard, pipes and interceptors) to its answer or error
 * (after the exception filter has turned it into `{ code, message }`), and counted in flight.
 * Patterns are the registered ones only, so the label set stays bounded.
 */
export function instrumentRpcHandlers(server: ServerTCP, metrics: ServiceMetrics): void {
  const handlers = server.getHandlers() as Map<string, Handler>;
  for (const [pattern, handler] of handlers) {
    if (handler.isEventHandler) continue;
    // The success series is bound once: observing it then skips the label lookup (hot path).
    const ok = metrics.rpcDuration.labels({ pattern, code: 'OK' });
    const timed = async (data: unknown, context: unknown): Promise<Observable<unknown>> => {
      const started = performance.now();
      let recorded = false;
      const record = (code: string): void => {
        if (recorded) return;
        recorded = true;
        metrics.rpcInFlight.dec();
        const seconds = (performance.now() - started) / 1000;
        if (code === 'OK') ok.observe(seconds);
        else metrics.rpcDuration.observe({ pattern, code }, seconds);
      };
      metrics.rpcInFlight.inc();
      try {
        const result = await handler(data, context);
        const result$ = isObservable(result) ? result : from(Promise.resolve(result));
        return result$.pipe(tap({ next: () => record('OK'), error: (e: unknown) => record(codeOf(e)), complete: () => record('OK') }));
      } catch (e) {
        record(codeOf(e));
        throw e;
      }
    };
    handlers.set(pattern, Object.assign(timed, handler) as unknown as Handler);
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'INTERNAL';
}

