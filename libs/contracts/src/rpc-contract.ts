import type { Scope } from './scopes.js';

/** A class-validator class for a method's `data`. */
export type InputClass<T> = new () => T;

/**
 * One method of the contract: its pattern, the typed client's method name, the scopes the
 * token must carry, the class `data` is validated with, and whether a session is resolved.
 * `Input` and `Result` are carried as types only (`types` is never set at run time).
 */
export interface RpcContract<
  P extends string = string,
  C extends string = string,
  Input = unknown,
  Result = unknown,
  S extends boolean = boolean,
> {
  readonly pattern: P;
  /** The name of its method on the typed client. */
  readonly client: C;
  readonly scopes: readonly Scope[];
  /** Absent for a method that takes no input (`data` is then only checked against the input limits). */
  readonly input?: InputClass<Input>;
  /** false: no session is resolved (admin methods); the response's `session` is null. */
  readonly session: S;
  readonly types?: { readonly input: Input; readonly result: Result };
}

/** Any entry, whatever its types (`any`: an entry's input and result are checked where they are known, not here). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRpcContract = RpcContract<string, string, any, any, boolean>;

export type InputOf<C> = C extends RpcContract<string, string, infer I, unknown, boolean> ? I : never;
export type ResultOf<C> = C extends RpcContract<string, string, unknown, infer R, boolean> ? R : never;

type EntryFields<I, P extends string, C extends string, S extends boolean> = {
  pattern: P;
  client: C;
  scopes: readonly Scope[];
  session: S;
} & ([I] extends [void] ? { input?: undefined } : { input: InputClass<I> });

/**
 * Declares a method: `method<Input, Result>()({ pattern, client, scopes, input, session })`.
 * Input is `void` for a method without input (then no `input` class may be given).
 */
export function method<I = void, R = null>() {
  return <const P extends string, const C extends string, const S extends boolean>(
    entry: EntryFields<I, P, C, S>,
  ): RpcContract<P, C, I, R, S> => Object.freeze({ ...entry }) as RpcContract<P, C, I, R, S>;
}
