/**
 * A first-in first-out queue on a growable ring buffer: `push` at the tail, `shift` at the head,
 * both O(1) however long the queue is (`Array.prototype.shift` moves every element, which makes
 * a queue that is drained as it grows quadratic). Indexed reads count from the head. Used for
 * the socket's write and retransmission queues (the kernel's sk_buff lists) and, in src/sim, for
 * the queues between the network and the applications.
 *
 * The capacity is a power of two and only grows; a slot is cleared when its item leaves, so
 * the queue holds no item it no longer has.
 */
export class RingQueue<T> {
  private buf: (T | undefined)[];
  private mask: number;
  private head = 0;
  private n = 0;

  constructor(initialCapacity = 8) {
    let cap = 1;
    while (cap < initialCapacity) cap *= 2;
    this.buf = new Array<T | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  get length(): number {
    return this.n;
  }

  /** The item `i` places from the head (0: the head); `undefined` outside the queue. */
  at(i: number): T | undefined {
    return i >= 0 && i < this.n ? this.buf[(this.head + i) & this.mask] : undefined;
  }

  first(): T | undefined {
    return this.n === 0 ? undefined : this.buf[this.head];
  }

  last(): T | undefined {
    return this.n === 0 ? undefined : this.buf[(this.head + this.n - 1) & this.mask];
  }

  push(item: T): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & this.mask] = item;
    this.n++;
  }

  /** Removes the head and returns it (`undefined` when empty). */
  shift(): T | undefined {
    if (this.n === 0) return undefined;
    const h = this.head;
    const item = this.buf[h];
    this.buf[h] = undefined;
    this.head = (h + 1) & this.mask;
    this.n--;
    return item;
  }

  /** Removes the item `i` places from the head, moving whichever side of it is shorter. */
  removeAt(i: number): void {
    if (i < 0 || i >= this.n) return;
    const b = this.buf;
    const m = this.mask;
    const h = this.head;
    if (i < this.n - 1 - i) {
      for (let k = i; k > 0; k--) b[(h + k) & m] = b[(h + k - 1) & m];
      b[h] = undefined;
      this.head = (h + 1) & m;
    } else {
      for (let k = i; k < this.n - 1; k++) b[(h + k) & m] = b[(h + k + 1) & m];
      b[(h + this.n - 1) & m] = undefined;
    }
    this.n--;
  }

  clear(): void {
    for (let k = 0; k < this.n; k++) this.buf[(this.head + k) & this.mask] = undefined;
    this.head = 0;
    this.n = 0;
  }

  private grow(): void {
    const old = this.buf;
    const cap = old.length * 2;
    const b = new Array<T | undefined>(cap).fill(undefined);
    for (let k = 0; k < this.n; k++) b[k] = old[(this.head + k) & this.mask];
    this.buf = b;
    this.mask = cap - 1;
    this.head = 0;
  }
}
