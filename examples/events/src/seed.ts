// Events (and a few notifications for account "demo") loaded when `seed: true`.

export interface SeedEvent {
  title: string;
  description: string;
  topic: string;
  place: string;
  start: string;
}

export const SEED_EVENTS: readonly SeedEvent[] = [
  { title: 'Jazz by the River', description: 'An evening of live jazz on the quay.', topic: 'music', place: 'Paris', start: '2030-06-12T19:30:00.000Z' },
  { title: 'Node.js Meetup', description: 'Talks on streams, workers and performance.', topic: 'tech', place: 'Berlin', start: '2030-06-15T18:00:00.000Z' },
  { title: 'City Marathon', description: '42 km through the old town.', topic: 'sport', place: 'London', start: '2030-07-01T08:00:00.000Z' },
  { title: 'Street Food Festival', description: 'Fifty stalls, one square.', topic: 'food', place: 'Lisbon', start: '2030-07-04T11:00:00.000Z' },
  { title: 'Load Testing Workshop', description: 'Open and closed models, coordinated omission, capacity.', topic: 'tech', place: 'Paris', start: '2030-07-10T09:00:00.000Z' },
  { title: 'Summer Symphony', description: 'The city orchestra plays Dvorak.', topic: 'music', place: 'Berlin', start: '2030-07-20T20:00:00.000Z' },
  { title: 'Cycling Tour', description: 'A 60 km ride along the coast.', topic: 'sport', place: 'Lisbon', start: '2030-08-02T07:30:00.000Z' },
  { title: 'Wine and Cheese Evening', description: 'Twelve regions, twelve pairings.', topic: 'food', place: 'Paris', start: '2030-08-15T18:30:00.000Z' },
  { title: 'Cloud Native Day', description: 'Kubernetes, observability and SLOs.', topic: 'tech', place: 'London', start: '2030-09-05T09:00:00.000Z' },
  { title: 'Open Air Cinema', description: 'Classics under the stars.', topic: 'film', place: 'Lisbon', start: '2030-09-12T21:00:00.000Z' },
];

export interface SeedNotification {
  /** Index into SEED_EVENTS. */
  event: number;
  email: string;
  account: string;
  scheduledAt: string;
}

export const SEED_NOTIFICATIONS: readonly SeedNotification[] = [
  { event: 0, email: 'demo@example.com', account: 'demo', scheduledAt: '2030-06-12T12:00:00.000Z' },
  { event: 1, email: 'demo@example.com', account: 'demo', scheduledAt: '2030-06-14T18:00:00.000Z' },
  { event: 4, email: 'ops@example.com', account: 'demo', scheduledAt: '2030-07-09T09:00:00.000Z' },
];
