import { multiply, add } from './math';
import { formatTotal } from './format';
import { readFileSync } from 'node:fs';

export interface Item {
  price: number;
  quantity: number;
}

export function cartTotal(items: Item[]): string {
  const total = items.reduce((sum, item) => add(sum, multiply(item.price, item.quantity)), 0);
  return formatTotal(total);
}
