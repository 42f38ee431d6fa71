import { ValidationError } from './graphql-executor.js';

// Argument checks that a schema-driven server does before execution.

export function requiredString(args: Record<string, unknown>, name: string, field: string): string {
  const value = args[name];
  if (typeof value !== 'string') {
    throw new ValidationError(`Field "${field}" argument "${name}" of type "String!" is required, but it was not provided.`);
  }
  return value;
}

export function optionalString(args: Record<string, unknown>, name: string, field: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ValidationError(`Field "${field}" argument "${name}" must be a String.`);
  return value;
}

export function requiredObject(args: Record<string, unknown>, name: string, field: string): Record<string, unknown> {
  const value = args[name];
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(`Field "${field}" argument "${name}" of input object type is required, but it was not provided.`);
  }
  return value as Record<string, unknown>;
}

export interface LineItemInput {
  productEntityId: number;
  variantEntityId: number | null;
  quantity: number;
}

/** `CartLineItemInput { quantity: Int!, productEntityId: Int!, variantEntityId: Int }` */
export function lineItemInputs(value: unknown, field: string): LineItemInput[] {
  if (!Array.isArray(value)) throw new ValidationError(`Field "${field}": "lineItems" must be a list.`);
  return value.map((raw, i) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    const { productEntityId, variantEntityId, quantity } = item;
    if (!Number.isInteger(productEntityId) || !Number.isInteger(quantity) || (quantity as number) < 1) {
      throw new ValidationError(`Field "${field}": lineItems[${i}] needs an Int productEntityId and a positive Int quantity.`);
    }
    if (variantEntityId !== undefined && variantEntityId !== null && !Number.isInteger(variantEntityId)) {
      throw new ValidationError(`Field "${field}": lineItems[${i}].variantEntityId must be an Int.`);
    }
    return {
      productEntityId: productEntityId as number,
      variantEntityId: (variantEntityId as number | null | undefined) ?? null,
      quantity: quantity as number,
    };
  });
}
