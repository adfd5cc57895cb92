/**
 * How long iterations running when the load ends may take to finish (k6's
 * gracefulStop): after it, they stop after their current request.
 */
export const GRACEFUL_STOP_MS = 30_000;
