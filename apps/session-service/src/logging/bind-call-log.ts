import type { ServerTCP } from '@nestjs/microservices';
import { isObservable, Observable } from 'rxjs';
import { currentCallLog, runInCallLog, runWithCallLog } from '#libs/session';

type Handler = ((data: unknown, context: unknown) => Promise<unknown>) & Record<string, unknown>;

/**
 * Wraps every registered RPC handler so that the call's guard, interceptors, handler and
 * exception filter run with their own log fields (a call id, the pattern, then the caller):
 * the subscription Nest makes to the handler's Observable is run inside them as well.
 * Wrap after the metrics, so the whole timed call is inside.
 */
export function bindCallLog(server: ServerTCP): void {
  const handlers = server.getHandlers() as Map<string, Handler>;
  for (const [pattern, handler] of handlers) {
    if (handler.isEventHandler) continue;
    const logged = (data: unknown, context: unknown): Promise<unknown> =>
      runWithCallLog(pattern, async () => {
        const fields = currentCallLog()!;
        const result = await handler(data, context);
        return isObservable(result) ? new Observable((subscriber) => runInCallLog(fields, () => result.subscribe(subscriber))) : result;
      });
    handlers.set(pattern, Object.assign(logged, handler) as unknown as Handler);
  }
}
