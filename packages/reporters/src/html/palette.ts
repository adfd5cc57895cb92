import type { ErrorKind } from '@loadctl/core';

/** Colours of request names, in order of traffic. */
export const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#475569',
  '#ea580c',
  '#0d9488',
  '#9333ea',
];

export const TOTAL_COLOR = '#111827';
export const BASE_RUN_COLOR = '#64748b';

export const LATENCY_COLORS = { p50: '#16a34a', p95: '#d97706', p99: '#dc2626', max: '#7c3aed' };

export const ERROR_COLORS: Record<ErrorKind | 'http', string> = {
  http: '#dc2626',
  connect_refused: '#7c3aed',
  connect_timeout: '#9333ea',
  reset: '#d97706',
  timeout: '#ea580c',
  tls: '#0891b2',
  dns: '#0d9488',
  protocol: '#db2777',
  aborted: '#475569',
  other: '#65a30d',
};

export const colorOf = (i: number): string => PALETTE[i % PALETTE.length];
