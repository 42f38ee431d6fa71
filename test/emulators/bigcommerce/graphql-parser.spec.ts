import { coerceVariables, execute, FieldError, selectOperation, type GraphQLObject } from './graphql-executor.js';
import { GraphQLSyntaxError, parseGraphQL } from './graphql-parser.js';
import { LOGIN_MUTATION } from './graphql-test-client.js';

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('graphql-parser', () => {
  it('reads the Catalyst login mutation: name, variables, root field and arguments', () => {
    const doc = parseGraphQL(LOGIN_MUTATION);
    const op = selectOperation(doc);
    expect(op.operation).toBe('mutation');
    expect(op.name).toBe('LoginMutation');
    expect(op.variables.map((v) => [v.name, v.type, v.nonNull])).toEqual([
      ['email', 'String!', true],
      ['password', 'String!', true],
      ['cartEntityId', 'String', false],
    ]);
    const login = op.selections[0];
    expect(login).toMatchObject({ kind: 'Field', name: 'login', loc: { line: 3, column: 3 } });
    expect(login?.kind === 'Field' && login.args).toEqual({
      email: { kind: 'Variable', name: 'email' },
      password: { kind: 'Variable', name: 'password' },
      guestCartEntityId: { kind: 'Variable', name: 'cartEntityId' },
    });
  });

  it('reads inline literals, lists, objects, aliases, fragments and ignores directives', () => {
    const doc = parseGraphQL(`
      mutation { cart { r: createCartRedirectUrls(input: { cartEntityId: "c-1", queryParams: [{ key: "a", value: "b" }], n: 3, f: 1.5, t: true, z: null, e: SOME_ENUM }) @skip(if: false) {
        ...Urls
        errors { ... on NotFoundError { __typename } }
      } } }
      fragment Urls on CreateCartRedirectUrlsResult { redirectUrls { redirectedCheckoutUrl } }
    `);
    const cart = doc.operations[0]!.selections[0];
    expect(cart?.kind).toBe('Field');
    const field = cart?.kind === 'Field' ? cart.selections[0] : undefined;
    expect(field).toMatchObject({ alias: 'r', name: 'createCartRedirectUrls' });
    expect(field?.kind === 'Field' && field.args.input).toEqual({
      kind: 'Object',
      fields: {
        cartEntityId: { kind: 'Literal', value: 'c-1' },
        queryParams: {
          kind: 'List',
          values: [{ kind: 'Object', fields: { key: { kind: 'Literal', value: 'a' }, value: { kind: 'Literal', value: 'b' } } }],
        },
        n: { kind: 'Literal', value: 3 },
        f: { kind: 'Literal', value: 1.5 },
        t: { kind: 'Literal', value: true },
        z: { kind: 'Literal', value: null },
        e: { kind: 'Enum', value: 'SOME_ENUM' },
      },
    });
    expect(doc.fragments.get('Urls')?.typeCondition).toBe('CreateCartRedirectUrlsResult');
  });

  it('reports syntax errors with a location', () => {
    expect(() => parseGraphQL('mutation {\n  login(email: "a" {\n}')).toThrow(GraphQLSyntaxError);
    const err = catchError(() => parseGraphQL('query {\n  site {\n  }\n}'));
    expect(err).toBeInstanceOf(GraphQLSyntaxError);
    expect((err as GraphQLSyntaxError).loc).toEqual({ line: 3, column: 3 });
    expect(() => parseGraphQL('fragment F on X { a }')).toThrow('no operation');
  });
});

describe('graphql-executor', () => {
  const root: GraphQLObject = {
    __typename: 'Mutation',
    login: (args: Record<string, unknown>) => {
      if (args.password !== 'right') throw new FieldError('Invalid credentials');
      return { __typename: 'LoginResult', result: 'success', customer: { __typename: 'Customer', entityId: 7, email: 'x' } };
    },
    logout: () => {
      throw new FieldError('needs token', { code: 'MISSING_CUSTOMER_ACCESS_TOKEN' });
    },
  };
  const run = (query: string, variables: Record<string, unknown> = {}) => {
    const doc = parseGraphQL(query);
    const operation = selectOperation(doc);
    return execute({
      doc,
      operation,
      variables: coerceVariables(operation, variables),
      root,
      nonNullRootFields: new Set(['login', 'logout']),
    });
  };

  it('returns only the selected fields, under their aliases', () => {
    expect(run('mutation { l: login(password: "right") { customer { id: entityId __typename } } }')).toEqual({
      data: { l: { customer: { id: 7, __typename: 'Customer' } } },
    });
  });

  it('nulls data when a non-null root field fails and reports path and location', () => {
    expect(run('mutation {\n  login(password: "wrong") { result }\n}')).toEqual({
      data: null,
      errors: [{ message: 'Invalid credentials', path: ['login'], locations: [{ line: 2, column: 3 }] }],
    });
    expect(run('mutation { logout { result } }').errors?.[0]?.extensions).toEqual({ code: 'MISSING_CUSTOMER_ACCESS_TOKEN' });
  });

  it('rejects unknown fields and missing required variables without data', () => {
    expect(run('mutation { login(password: "right") { nope } }')).toEqual({
      errors: [{ message: 'Cannot query field "nope" on type "LoginResult".', locations: [{ line: 1, column: 39 }], path: [] }],
    });
    const doc = parseGraphQL('mutation M($p: String!) { login(password: $p) { result } }');
    expect(() => coerceVariables(selectOperation(doc), {})).toThrow('Variable "$p" of required type "String!" was not provided.');
    expect(() => coerceVariables(selectOperation(doc), { p: 5 })).toThrow('String cannot represent');
  });
});
