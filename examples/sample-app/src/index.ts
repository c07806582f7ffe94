import { formatTotal } from './format';
import { cartTotal, type Item } from './cart';

const items: Item[] = [{ price: 2.5, quantity: 4 }];
console.log(cartTotal(items));
