// Runnable entry: `node examples/events/dist/main.js [--port N] [--host H] [--no-seed]`.
// Env: PORT, HOST, SEED (default true; SEED=0 or SEED=false starts empty).
import { runMain } from '@loadctl-example/common';
import { start } from './index.js';

const seedEnv = (process.env['SEED'] ?? 'true').toLowerCase();
const seed = !process.argv.includes('--no-seed') && seedEnv !== '0' && seedEnv !== 'false';

await runMain('events', (listen) => start({ ...listen, seed }));
