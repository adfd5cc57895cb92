// A TTL cache whose concurrent misses for one key share a single load (no thundering herd).

export interface CachedResponse {
  status: number;
  /** The upstream body, kept serialised so a hit costs no JSON work. */
  body: string;
}

interface Entry extends CachedResponse {
  expiresAt: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Live (unexpired) entries. */
  entries: number;
  /** Loads actually started against the upstream. */
  upstreamRequests: number;
  /** Misses that joined a load already in flight instead of starting one. */
  coalesced: number;
}

export interface CacheLookup {
  response: CachedResponse;
  hit: boolean;
}

export class CoalescingTtlCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<CachedResponse>>();
  private hits = 0;
  private misses = 0;
  private upstreamRequests = 0;
  private coalesced = 0;

  /**
   * @param ttlMs how long a cached response stays fresh
   * @param maxEntries bound on stored entries: expired ones are swept first, then the oldest go
   * @param cacheable which responses to keep (others are passed on but not stored)
   */
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly cacheable: (response: CachedResponse) => boolean,
  ) {}

  async get(key: string, load: () => Promise<CachedResponse>): Promise<CacheLookup> {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.expiresAt > Date.now()) {
      this.hits++;
      return { response: entry, hit: true };
    }
    this.misses++;
    let pending = this.inflight.get(key);
    if (pending === undefined) {
      this.upstreamRequests++;
      pending = this.load(key, load);
      this.inflight.set(key, pending);
    } else {
      this.coalesced++;
    }
    return { response: await pending, hit: false };
  }

  private async load(key: string, load: () => Promise<CachedResponse>): Promise<CachedResponse> {
    try {
      const response = await load();
      if (this.cacheable(response)) this.store(key, response);
      else this.entries.delete(key);
      return response;
    } finally {
      this.inflight.delete(key);
    }
  }

  private store(key: string, response: CachedResponse): void {
    this.entries.delete(key); // re-insert at the end: Map order is age order
    if (this.entries.size >= this.maxEntries) {
      this.sweep();
      const oldest = this.entries.keys().next();
      if (this.entries.size >= this.maxEntries && oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { status: response.status, body: response.body, expiresAt: Date.now() + this.ttlMs });
  }

  /** Drops expired entries. */
  sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  stats(): CacheStats {
    this.sweep();
    return { hits: this.hits, misses: this.misses, entries: this.entries.size, upstreamRequests: this.upstreamRequests, coalesced: this.coalesced };
  }

  clear(): void {
    this.entries.clear();
  }
}
