import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import { providerCallChannel, type ProviderCallEvent } from './provider-diagnostics.js';
import { ProviderError, isProviderError } from './provider-error.js';

export interface HttpClientOptions {
  /** Provider name used in error details and as the breaker name. */
  provider: string;
  /** Per-attempt timeout [5000 ms]. */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests on network errors, timeouts and 5xx [2]. */
  retries?: number;
  /** Backoff before retry n is `retryDelayMs * n` [100 ms]. */
  retryDelayMs?: number;
  /** A breaker instance to share, or options for a new one. */
  breaker?: CircuitBreaker | CircuitBreakerOptions;
}

export interface HttpRequest {
  /** Name used in error details, e.g. `password-token`. */
  operation: string;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Only idempotent requests are retried (GET, introspection); token and login POSTs are not. */
  idempotent?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON, the raw text if it is not JSON, or undefined for an empty body. */
  body: unknown;
}

/**
 * Small wrapper over Node's global fetch: timeout per attempt, retries for idempotent
 * requests only, and a circuit breaker. Answers below 500 are returned for the caller to
 * map; unreachable providers and 5xx raise PROVIDER_UNAVAILABLE.
 */
export class HttpClient {
  readonly breaker: CircuitBreaker;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: HttpClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.retries = Math.max(0, options.retries ?? 2);
    this.retryDelayMs = Math.max(0, options.retryDelayMs ?? 100);
    this.breaker = options.breaker instanceof CircuitBreaker ? options.breaker : new CircuitBreaker(options.provider, options.breaker);
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    const call = this.breaker.run(
      req.operation,
      () => this.attempts(req),
      (err) => isProviderError(err, 'PROVIDER_UNAVAILABLE'),
    );
    return providerCallChannel.hasSubscribers ? this.published(req, call) : call;
  }

  private async published(req: HttpRequest, call: Promise<HttpResponse>): Promise<HttpResponse> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await call;
    } catch (err) {
      outcome = (isProviderError(err, 'PROVIDER_UNAVAILABLE') && String(err.details?.reason ?? '')) || 'error';
      throw err;
    } finally {
      const event: ProviderCallEvent = {
        provider: this.options.provider,
        operation: req.operation,
        outcome,
        seconds: (performance.now() - started) / 1000,
      };
      providerCallChannel.publish(event);
    }
  }

  private async attempts(req: HttpRequest): Promise<HttpResponse> {
    const maxAttempts = req.idempotent ? this.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(req);
      } catch (err) {
        if (attempt >= maxAttempts || !isProviderError(err, 'PROVIDER_UNAVAILABLE')) throw err;
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * attempt));
      }
    }
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    let res: Response;
    let text: string;
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal });
      text = await res.text();
    } catch {
      // The signal tells a timeout from other network errors (error classes differ across realms).
      throw this.unavailable(req, signal.aborted ? 'timeout' : 'network');
    }
    if (res.status >= 500) throw this.unavailable(req, 'http_5xx', res.status);
    return { status: res.status, body: parseBody(text) };
  }

  private unavailable(req: HttpRequest, reason: string, status?: number): ProviderError {
    return new ProviderError('PROVIDER_UNAVAILABLE', `${this.options.provider} ${req.operation} failed: ${reason}`, {
      provider: this.options.provider,
      operation: req.operation,
      reason,
      ...(status !== undefined ? { status } : {}),
    });
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
