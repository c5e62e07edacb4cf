// Hands out an array's items in order, each taken out of the array before it is handed out, so
// that the array does not keep an item alive after its consumer is done with it.

/** Yields and removes the items of `items` from the first; the array is empty at the end. */
export function* drain<T>(items: T[]): Generator<T> {
  while (items.length > 0) yield items.shift() as T;
}
