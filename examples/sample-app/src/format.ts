export function formatTotal(total: number): string {
  return `Total: ${total.toFixed(2)}`;
}
