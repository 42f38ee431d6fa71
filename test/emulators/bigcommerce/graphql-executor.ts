import type { DocumentNode, FieldNode, OperationNode, SelectionNode, SourceLocation, ValueNode } from './graphql-parser.js';

// Error entry shape from commerce-apis.md A1 (BigCommerceResponse.errors).
export interface GraphQLErrorEntry {
  message: string;
  locations: SourceLocation[];
  path: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorEntry[];
}

/** Thrown by a resolver: becomes an `errors[]` entry with the field's path; the field is null. */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** A request-level problem (unknown field, bad variables): the response has no `data`. */
export class ValidationError extends Error {
  constructor(
    message: string,
    readonly locations: SourceLocation[] = [],
  ) {
    super(message);
  }
}

/**
 * Values handed to the executor are plain object trees. An object carries its GraphQL
 * type in `__typename`; a property may be a function, called with the field's arguments
 * (that is how fields with arguments and all side effects are implemented).
 */
export type FieldResolver = (args: Record<string, unknown>) => unknown;
export interface GraphQLObject {
  __typename: string;
  /** Interfaces the type implements, so `... on SomeInterface` fragments apply. */
  __interfaces?: string[];
  [field: string]: unknown;
}

export function selectOperation(doc: DocumentNode, operationName?: string | null): OperationNode {
  if (operationName) {
    const op = doc.operations.find((o) => o.name === operationName);
    if (!op) throw new ValidationError(`Unknown operation named "${operationName}".`);
    return op;
  }
  if (doc.operations.length > 1) {
    throw new ValidationError('Must provide operation name if query contains multiple operations.');
  }
  return doc.operations[0]!;
}

const SCALAR_CHECKS: Record<string, (v: unknown) => boolean> = {
  String: (v) => typeof v === 'string',
  ID: (v) => typeof v === 'string' || Number.isInteger(v),
  Int: (v) => Number.isInteger(v),
  Float: (v) => typeof v === 'number',
  Boolean: (v) => typeof v === 'boolean',
};

export function coerceVariables(op: OperationNode, provided: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const def of op.variables) {
    let value = provided[def.name];
    if (value === undefined && def.defaultValue) value = valueFromNode(def.defaultValue, {});
    if (value === undefined || value === null) {
      if (def.nonNull) {
        throw new ValidationError(
          value === undefined
            ? `Variable "$${def.name}" of required type "${def.type}" was not provided.`
            : `Variable "$${def.name}" of non-null type "${def.type}" must not be null.`,
        );
      }
      if (value === null) values[def.name] = null;
      continue;
    }
    const named = def.type.replace(/!$/, '');
    const check = SCALAR_CHECKS[named];
    if (check && !check(value)) {
      throw new ValidationError(
        `Variable "$${def.name}" got invalid value ${JSON.stringify(value)}; ${named} cannot represent this value.`,
      );
    }
    values[def.name] = value;
  }
  return values;
}

function valueFromNode(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case 'Variable':
      return variables[node.name];
    case 'Literal':
      return node.value;
    case 'Enum':
      return node.value;
    case 'List':
      return node.values.map((v) => valueFromNode(v, variables));
    case 'Object':
      return Object.fromEntries(
        Object.entries(node.fields)
          .map(([k, v]) => [k, valueFromNode(v, variables)] as const)
          .filter(([, v]) => v !== undefined),
      );
  }
}

function checkVariablesDefined(node: ValueNode, defined: Set<string>, loc: SourceLocation): void {
  if (node.kind === 'Variable' && !defined.has(node.name)) {
    throw new ValidationError(`Variable "$${node.name}" is not defined.`, [loc]);
  }
  if (node.kind === 'List') node.values.forEach((v) => checkVariablesDefined(v, defined, loc));
  if (node.kind === 'Object') Object.values(node.fields).forEach((v) => checkVariablesDefined(v, defined, loc));
}

export interface ExecuteInput {
  doc: DocumentNode;
  operation: OperationNode;
  variables: Record<string, unknown>;
  root: GraphQLObject;
  /** Root fields declared non-null (`login: LoginResult!`): an error there nulls all of `data`. */
  nonNullRootFields: ReadonlySet<string>;
}

export function execute(input: ExecuteInput): GraphQLResponse {
  const errors: GraphQLErrorEntry[] = [];
  const defined = new Set(input.operation.variables.map((v) => v.name));
  let nullData = false;

  const completeObject = (obj: GraphQLObject, selections: SelectionNode[], path: (string | number)[]) => {
    const out: Record<string, unknown> = {};
    for (const [key, fields] of collectFields(obj, selections, input.doc)) {
      const field = fields[0]!;
      const subSelections = fields.flatMap((f) => f.selections);
      out[key] = completeField(obj, field, subSelections, [...path, key]);
    }
    return out;
  };

  const completeField = (obj: GraphQLObject, field: FieldNode, selections: SelectionNode[], path: (string | number)[]): unknown => {
    if (field.name === '__typename') return obj.__typename;
    if (!(field.name in obj) || field.name.startsWith('__')) {
      throw new ValidationError(`Cannot query field "${field.name}" on type "${obj.__typename}".`, [field.loc]);
    }
    Object.values(field.args).forEach((a) => checkVariablesDefined(a, defined, field.loc));
    let raw = obj[field.name];
    if (typeof raw === 'function') {
      const args = Object.fromEntries(
        Object.entries(field.args)
          .map(([k, v]) => [k, valueFromNode(v, input.variables)] as const)
          .filter(([, v]) => v !== undefined),
      );
      try {
        raw = (raw as FieldResolver)(args);
      } catch (err) {
        if (!(err instanceof FieldError)) throw err;
        errors.push({
          message: err.message,
          locations: [field.loc],
          path,
          ...(err.extensions ? { extensions: err.extensions } : {}),
        });
        if (path.length === 1 && input.nonNullRootFields.has(field.name)) nullData = true;
        return null;
      }
    }
    return completeValue(raw, field, selections, path);
  };

  const completeValue = (value: unknown, field: FieldNode, selections: SelectionNode[], path: (string | number)[]): unknown => {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.map((v, i) => completeValue(v, field, selections, [...path, i]));
    if (typeof value === 'object' && '__typename' in value) {
      if (selections.length === 0) {
        throw new ValidationError(
          `Field "${field.name}" of type "${(value as GraphQLObject).__typename}" must have a selection of subfields.`,
          [field.loc],
        );
      }
      return completeObject(value as GraphQLObject, selections, path);
    }
    if (selections.length > 0) {
      throw new ValidationError(`Field "${field.name}" must not have a selection since it has no subfields.`, [field.loc]);
    }
    return value;
  };

  try {
    const data = completeObject(input.root, input.operation.selections, []);
    const response: GraphQLResponse = { data: nullData ? null : data };
    if (errors.length > 0) response.errors = errors;
    return response;
  } catch (err) {
    if (err instanceof ValidationError) return { errors: [{ message: err.message, locations: err.locations, path: [] }] };
    throw err;
  }
}

/** Groups fields by response key, applying fragments whose type condition matches. */
function collectFields(
  obj: GraphQLObject,
  selections: SelectionNode[],
  doc: DocumentNode,
  into = new Map<string, FieldNode[]>(),
): Map<string, FieldNode[]> {
  for (const sel of selections) {
    if (sel.kind === 'Field') {
      const key = sel.alias ?? sel.name;
      into.set(key, [...(into.get(key) ?? []), sel]);
    } else if (sel.kind === 'InlineFragment') {
      if (!sel.typeCondition || appliesTo(sel.typeCondition, obj)) collectFields(obj, sel.selections, doc, into);
    } else {
      const fragment = doc.fragments.get(sel.name);
      if (!fragment) throw new ValidationError(`Unknown fragment "${sel.name}".`, [sel.loc]);
      if (appliesTo(fragment.typeCondition, obj)) collectFields(obj, fragment.selections, doc, into);
    }
  }
  return into;
}

function appliesTo(typeCondition: string, obj: GraphQLObject): boolean {
  return typeCondition === obj.__typename || (obj.__interfaces ?? []).includes(typeCondition);
}

/** Root field names of an operation, for the request log and for error locations. */
export function rootFields(op: OperationNode): FieldNode[] {
  return op.selections.filter((s): s is FieldNode => s.kind === 'Field');
}
