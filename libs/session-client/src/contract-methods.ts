import type { AnyRpcContract, InputOf, ResultOf, RpcResponse } from '#libs/contracts';

/** The raw session cookie value as the browser sent it, or null for a visitor without one. */
export type SessionCookie = string | null;

/** No argument for a method without input; an optional one when every field is optional. */
type InputArgs<I> = [I] extends [void] ? [] : Record<never, never> extends I ? [input?: I] : [input: I];

/**
 * The typed client method of one contract entry: `(shopId, session, input?)`, or
 * `(shopId, input?)` for a method that runs without a session.
 */
export type ContractMethod<C extends AnyRpcContract> = C['session'] extends false
  ? (shopId: string, ...input: InputArgs<InputOf<C>>) => Promise<RpcResponse<ResultOf<C>>>
  : (shopId: string, session: SessionCookie, ...input: InputArgs<InputOf<C>>) => Promise<RpcResponse<ResultOf<C>>>;

/** One named method per entry of a contract table, named by the entry's `client`. */
export type ContractMethods<T extends Record<string, AnyRpcContract>> = {
  [K in keyof T as T[K]['client']]: ContractMethod<T[K]>;
};

type Call = (this: unknown, pattern: string, shopId: string, session: SessionCookie, data: object) => Promise<RpcResponse<unknown>>;

/**
 * Builds the methods of a contract table over `call`, typed ContractMethods<T>. They are
 * plain functions passing their `this` on to `call`, so they can sit on a prototype.
 */
export function contractMethods<T extends Record<string, AnyRpcContract>>(table: T, call: Call): ContractMethods<T> {
  const methods: Record<string, (this: unknown, ...args: unknown[]) => Promise<RpcResponse<unknown>>> = {};
  for (const { client, pattern, session } of Object.values(table)) {
    methods[client] = session
      ? function (this: unknown, shopId, cookie, input) {
          return call.call(this, pattern, shopId as string, cookie as SessionCookie, (input as object | undefined) ?? {});
        }
      : function (this: unknown, shopId, input) {
          return call.call(this, pattern, shopId as string, null, (input as object | undefined) ?? {});
        };
  }
  return methods as unknown as ContractMethods<T>;
}
