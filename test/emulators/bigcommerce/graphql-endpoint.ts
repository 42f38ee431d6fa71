import type { IncomingMessage } from 'node:http';
import { coerceVariables, execute, rootFields, selectOperation, ValidationError, type GraphQLResponse } from './graphql-executor.js';
import { mutationRoot, NON_NULL_ROOT_FIELDS, queryRoot } from './graphql-operations.js';
import { GraphQLSyntaxError, parseGraphQL, type OperationNode } from './graphql-parser.js';
import { header } from '../shared/http-server.js';
import type { RecordedRequest } from './http-helpers.js';
import type { OperationContext } from './operation-context.js';

export const INVALID_CAT_CODE = 'INVALID_CUSTOMER_ACCESS_TOKEN';

type RequestContext = Omit<OperationContext, 'customer' | 'accessToken'>;

interface EndpointResult {
  status: number;
  body: GraphQLResponse | { errors: Array<{ message: string }> };
}

/** POST /graphql: headers and error envelope per commerce-apis.md A1 and C1.1/C1.4. */
export function handleGraphQL(req: IncomingMessage, rawBody: string, record: RecordedRequest, base: RequestContext): EndpointResult {
  if (header(req, 'authorization') !== `Bearer ${base.options.storefrontToken}`) {
    return { status: 401, body: { errors: [{ message: 'Unauthorized: a valid storefront token is required.' }] } };
  }

  let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    payload = JSON.parse(rawBody) as typeof payload;
  } catch {
    return { status: 400, body: { errors: [{ message: 'Request body must be JSON.' }] } };
  }
  if (!payload || typeof payload.query !== 'string') {
    return { status: 400, body: { errors: [{ message: 'Request body must contain a "query" string.' }] } };
  }
  const variables = (payload.variables ?? {}) as Record<string, unknown>;
  if (typeof variables !== 'object' || Array.isArray(variables)) {
    return { status: 400, body: { errors: [{ message: '"variables" must be an object.' }] } };
  }

  let operation: OperationNode;
  let doc;
  try {
    doc = parseGraphQL(payload.query);
    operation = selectOperation(doc, typeof payload.operationName === 'string' ? payload.operationName : undefined);
  } catch (err) {
    if (err instanceof GraphQLSyntaxError) {
      return { status: 200, body: { errors: [{ message: err.message, locations: [err.loc], path: [] }] } };
    }
    if (err instanceof ValidationError) return { status: 200, body: validationErrorBody(err) };
    throw err;
  }
  const roots = rootFields(operation);
  record.rootFields = roots.map((f) => f.name);
  record.operationName = operation.name;

  // C1.4: a CAT that is unknown, expired or revoked fails the request only when the client
  // asked for it; otherwise the request runs as a guest.
  const accessToken = header(req, 'x-bc-customer-access-token');
  const customer = accessToken ? base.state.customerForAccessToken(accessToken) : undefined;
  if (accessToken && !customer && header(req, 'x-bc-error-on-invalid-customer-access-token')?.toLowerCase() === 'true') {
    const first = roots[0];
    return {
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: 'Invalid customer access token.',
            locations: first ? [first.loc] : [],
            path: first ? [first.alias ?? first.name] : [],
            extensions: { code: INVALID_CAT_CODE },
          },
        ],
      },
    };
  }

  try {
    const ctx: OperationContext = { ...base, customer, accessToken: customer ? accessToken : undefined };
    if (operation.operation === 'subscription') throw new ValidationError('Subscriptions are not supported.');
    const coerced = coerceVariables(operation, variables);
    const root = operation.operation === 'mutation' ? mutationRoot(ctx) : queryRoot(ctx);
    return {
      status: 200,
      body: execute({ doc, operation, variables: coerced, root, nonNullRootFields: NON_NULL_ROOT_FIELDS }),
    };
  } catch (err) {
    if (err instanceof ValidationError) return { status: 200, body: validationErrorBody(err) };
    throw err;
  }
}

function validationErrorBody(err: ValidationError): GraphQLResponse {
  return { errors: [{ message: err.message, locations: err.locations, path: [] }] };
}
