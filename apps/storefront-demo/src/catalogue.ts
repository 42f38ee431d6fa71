/** The demo's static catalogue: prices live here, the session service stores references and quantities only. */
export interface Product {
  productId: string;
  variantId: string;
  name: string;
  description: string;
  priceCents: number;
  /** A CSS colour for the product tile (the demo has no images). */
  colour: string;
}

export const CATALOGUE: readonly Product[] = [
  {
    productId: 'tee-basic',
    variantId: 'tee-basic-m',
    name: 'Basic tee',
    description: 'Organic cotton, size M',
    priceCents: 1900,
    colour: '#f4a261',
  },
  {
    productId: 'hoodie',
    variantId: 'hoodie-l',
    name: 'Hoodie',
    description: 'Brushed fleece, size L',
    priceCents: 5900,
    colour: '#2a9d8f',
  },
  { productId: 'cap', variantId: 'cap-one', name: 'Cap', description: 'One size', priceCents: 2400, colour: '#e76f51' },
  {
    productId: 'socks',
    variantId: 'socks-3pack',
    name: 'Socks, 3 pairs',
    description: 'Merino blend',
    priceCents: 1500,
    colour: '#264653',
  },
  { productId: 'tote', variantId: 'tote-natural', name: 'Tote bag', description: 'Heavy canvas', priceCents: 1200, colour: '#e9c46a' },
  { productId: 'beanie', variantId: 'beanie-grey', name: 'Beanie', description: 'Grey, rib knit', priceCents: 2200, colour: '#8d99ae' },
];

export function findProduct(productId: string): Product | undefined {
  return CATALOGUE.find((p) => p.productId === productId);
}

export function formatPrice(cents: number): string {
  return `€${(cents / 100).toFixed(2)}`;
}
