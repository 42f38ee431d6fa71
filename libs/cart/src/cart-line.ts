/** Shop-defined data attached to a line (e.g. an engraving text). Must be a JSON object. */
export type CustomData = Readonly<Record<string, unknown>>;

/** A reference to a product variant and how many of it; prices are never stored. */
export interface CartLine {
  readonly productId: string;
  readonly variantId: string;
  /** Integer 1..maxQuantityPerLine. */
  readonly quantity: number;
  readonly customData?: CustomData;
  /** When the line was first added, in ms since the epoch. */
  readonly addedAt: number;
}

/** A cart holds each (productId, variantId) at most once, in the order the lines were added. */
export interface Cart {
  readonly lines: readonly CartLine[];
}

/** Identifies a cart line. */
export type CartLineRef = Pick<CartLine, 'productId' | 'variantId'>;
