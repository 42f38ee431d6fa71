import type { DemoShop } from './demo-options.js';

/** The shops of the service's development configuration (libs/session/src/config/dev-defaults.ts). */
export const DEV_SHOPS: readonly DemoShop[] = [
  { id: '1001', name: 'Northwind Outfitters' },
  { id: '1002', name: 'Harbour Goods' },
];
