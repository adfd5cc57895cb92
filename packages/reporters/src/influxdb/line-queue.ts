/** A FIFO of line-protocol strings with O(1) amortised push / take / drop at the front. */
export class LineQueue {
  private items: string[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(lines: readonly string[]): void {
    for (const l of lines) this.items.push(l);
  }

  /** Remove and return up to `n` lines from the front. */
  take(n: number): string[] {
    const out = this.items.slice(this.head, this.head + n);
    this.head += out.length;
    this.compact();
    return out;
  }

  /** Put lines back at the front (a batch that must be retried). */
  unshift(lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.items = lines.concat(this.items.slice(this.head));
    this.head = 0;
  }

  /** Drop up to `n` lines from the front; returns how many were dropped. */
  dropFront(n: number): number {
    const k = Math.min(n, this.length);
    this.head += k;
    this.compact();
    return k;
  }

  clear(): number {
    const n = this.length;
    this.items = [];
    this.head = 0;
    return n;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
