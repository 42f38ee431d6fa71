import 'reflect-metadata';
import { Contract, method, type AnyRpcContract, type RpcResponse } from '#libs/contracts';
import { contractMethods } from './contract-methods.js';
import { SessionClient } from './session-client.js';

const calls: unknown[][] = [];
const methods = contractMethods(Contract, function (this: unknown, ...args) {
  calls.push([this, ...args]);
  return Promise.resolve({ data: null, session: null } as RpcResponse<never>);
});

describe('the client methods made from the contract table', () => {
  beforeEach(() => (calls.length = 0));

  it('has one method per entry, named by its client field, on every SessionClient', () => {
    for (const entry of Object.values(Contract) as AnyRpcContract[]) {
      expect([entry.client, typeof (methods as Record<string, unknown>)[entry.client]]).toEqual([entry.client, 'function']);
      expect([entry.client, typeof (SessionClient.prototype as unknown as Record<string, unknown>)[entry.client]]).toEqual([
        entry.client,
        'function',
      ]);
    }
  });

  it('names no method after a member of SessionClient itself', () => {
    const own = ['constructor', 'call', 'callWithProvidedToken', 'close', 'methodsOf', 'onModuleDestroy', 'connection', 'options'];
    expect((Object.values(Contract) as AnyRpcContract[]).map((e) => e.client).filter((name) => own.includes(name))).toEqual([]);
  });

  it('sends (pattern, shopId, session, input), with {} for a method without input and session null without a session', async () => {
    const self = {};
    await methods.addCartItem.call(self, '1001', 's:c', { productId: 'p', variantId: 'v', quantity: 1 });
    await methods.resolve('1001', 's:c');
    await methods.listSessions('1001', { userId: 'u' });
    await methods.adminStats('1001');
    expect(calls).toEqual([
      [self, 'cart.addItem', '1001', 's:c', { productId: 'p', variantId: 'v', quantity: 1 }],
      [methods, 'session.resolve', '1001', 's:c', {}],
      [methods, 'admin.sessions.list', '1001', null, { userId: 'u' }],
      [methods, 'admin.stats', '1001', null, {}],
    ]);
  });

  it('types a team table the same way', async () => {
    class NoteInput {
      note!: string;
    }
    const team = {
      note: method<NoteInput, { saved: true }>()({
        pattern: 'team.note',
        client: 'saveNote',
        scopes: ['session:write'],
        input: NoteInput,
        session: true,
      }),
    };
    const teamMethods = contractMethods(team, function (this: unknown, ...args) {
      calls.push(args);
      return Promise.resolve({ data: { saved: true }, session: null } as RpcResponse<never>);
    });
    const saved: { saved: true } = (await teamMethods.saveNote('1001', null, { note: 'n' })).data;
    expect(saved).toEqual({ saved: true });
    expect(calls).toEqual([['team.note', '1001', null, { note: 'n' }]]);
  });

  it('refuses wrong calls at compile time', () => {
    // Never run: the `@ts-expect-error` lines fail `npm run typecheck` if these start compiling.
    const typeOnly = (client: SessionClient) => [
      // @ts-expect-error admin methods take no session cookie
      client.listSessions('1001', null, { userId: 'u' }),
      // @ts-expect-error cart.addItem needs its input
      client.addCartItem('1001', null),
      // @ts-expect-error the input is checked against the entry's class
      client.addCartItem('1001', null, { productId: 'p' }),
      // @ts-expect-error the result is the entry's
      client.resolve('1001', null).then((r) => r.data.lines),
    ];
    expect(typeof typeOnly).toBe('function');
  });
});
