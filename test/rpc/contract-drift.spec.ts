import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type { DynamicModule, Type } from '@nestjs/common';
import ts from 'typescript';
import { Contract, type AnyRpcContract } from '#libs/contracts';
import { RPC_METHOD, type ServiceConfig } from '#libs/session';
import { AppModule } from '../../apps/session-service/src/app.module.js';

/**
 * The contract table, the handlers and docs/rpc.md must agree: this fails when one of them
 * gains or loses a method (or a context member) that the others do not.
 */
const docs = readFileSync(new URL('../../docs/rpc.md', import.meta.url), 'utf8');

/** Every contract table whose handlers the service registers. */
const TABLES = [Contract];

/** The controllers of the service's module tree (as Nest would instantiate them). */
function controllersOf(module: DynamicModule): Type[] {
  const nested = (module.imports ?? []).filter((m): m is DynamicModule => typeof m === 'object' && m !== null && 'module' in m);
  return [...(module.controllers ?? []), ...nested.flatMap(controllersOf)];
}

/** Every @RpcMethod handler: its pattern and where it is. */
function handlers(): Array<{ pattern: string; where: string }> {
  const found: Array<{ pattern: string; where: string }> = [];
  for (const controller of controllersOf(AppModule.forRoot({} as ServiceConfig))) {
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = Object.getOwnPropertyDescriptor(proto, name)?.value as object | undefined;
      const contract = typeof method === 'function' ? (Reflect.getMetadata(RPC_METHOD, method) as AnyRpcContract | undefined) : undefined;
      if (contract) found.push({ pattern: contract.pattern, where: `${controller.name}.${name}` });
    }
  }
  return found;
}

/** Public member names of an interface or class declared in `file` (read with the TypeScript parser). */
function membersOf(file: string, declaration: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'), ts.ScriptTarget.Latest);
  const node = source.statements.find(
    (s): s is ts.InterfaceDeclaration | ts.ClassDeclaration =>
      (ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === declaration,
  );
  if (!node) throw new Error(`${declaration} is not declared in ${file}`);
  const hidden = (m: ts.Node) =>
    ts.canHaveModifiers(m) &&
    (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword);
  return node.members.filter((m) => m.name && ts.isIdentifier(m.name) && !hidden(m)).map((m) => (m.name as ts.Identifier).text);
}

/** Backticked names in the rows of the docs' context tables: `updateUser(user)` -> updateUser, `provider.token()` -> provider.token. */
function documentedContextMembers(): Set<string> {
  const section = docs.slice(docs.indexOf('### The RpcContext'), docs.indexOf('\n## ', docs.indexOf('### The RpcContext')));
  const names = new Set<string>();
  for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
    for (const [, name] of row.matchAll(/`([\w.]+)/g)) names.add(name!);
  }
  return names;
}

describe('the contract table, the handlers and docs/rpc.md agree', () => {
  const entries = TABLES.flatMap((table) => Object.values(table) as AnyRpcContract[]);

  it('has exactly one handler per pattern, and no handler outside the table', () => {
    const found = handlers();
    for (const { pattern } of entries)
      expect([pattern, found.filter((h) => h.pattern === pattern).map((h) => h.where)]).toEqual([pattern, [expect.any(String)]]);
    expect(found.map((h) => h.pattern).filter((p) => !entries.some((e) => e.pattern === p))).toEqual([]);
  });

  it('has unique patterns and client method names', () => {
    expect(new Set(entries.map((e) => e.pattern)).size).toBe(entries.length);
    expect(new Set(entries.map((e) => e.client)).size).toBe(entries.length);
  });

  it('documents every pattern, with its scopes', () => {
    for (const { pattern, scopes } of entries) {
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${pattern}\` |`));
      expect([pattern, row]).toEqual([pattern, expect.any(String)]);
      for (const scope of scopes) expect([pattern, row]).toEqual([pattern, expect.stringContaining(`\`${scope}\``)]);
    }
  });

  it('lists every member of the contexts and their parts in the RpcContext tables', () => {
    const documented = documentedContextMembers();
    const expected = [
      ...membersOf('libs/session/src/rpc/rpc-context.ts', 'CallContext'),
      ...membersOf('libs/session/src/rpc/rpc-context.ts', 'ServiceContext'),
      ...membersOf('libs/session/src/rpc/rpc-context.ts', 'RpcContext'),
      ...membersOf('libs/session/src/rpc/rpc-context.ts', 'ProviderPart').map((m) => `provider.${m}`),
      ...membersOf('libs/session/src/baskets/basket-access.ts', 'CartAccess').map((m) => `cart.${m}`),
      ...membersOf('libs/session/src/baskets/basket-access.ts', 'WishlistAccess').map((m) => `wishlist.${m}`),
    ];
    expect(expected.length).toBeGreaterThan(30);
    expect(expected.filter((m) => !documented.has(m))).toEqual([]);
  });
});
