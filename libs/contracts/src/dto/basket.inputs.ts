import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { IsInt, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/**
 * Shapes only; the per-shop limits (quantity cap, line count, customData size) are checked
 * by the cart and wishlist rules and answer LIMIT_EXCEEDED or VALIDATION_FAILED.
 */
class ProductRef {
  @IsString() @IsNotEmpty() @MaxLength(128) productId!: string;
}

class VariantRef extends ProductRef {
  @IsString() @IsNotEmpty() @MaxLength(128) variantId!: string;
}

export class CartAddItemInput extends VariantRef {
  @IsInt() @Min(1) quantity!: number;
  @IsOptional() @IsObject() customData?: Record<string, unknown>;
}

export class CartSetQuantityInput extends VariantRef {
  /** 0 removes the line. */
  @IsInt() @Min(0) quantity!: number;
}

export class CartLineInput extends VariantRef {}

export class WishlistItemInput extends ProductRef {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) variantId?: string;
}
