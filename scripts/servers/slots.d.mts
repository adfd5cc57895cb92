// Types for scripts/servers/slots.mjs (used from TypeScript tests).
export interface SlotServer {
  url: string;
  port: number;
  /** slots × 1000 / serviceMs requests per second. */
  capacity: number;
  stats(): { received: number; served: number; rejected: number; maxQueue: number; queued: number };
  close(): Promise<void>;
}
export function startSlotServer(o: { slots: number; serviceMs: number; host?: string; port?: number; maxQueue?: number }): Promise<SlotServer>;
