// Runnable entry: `node examples/behaviour/dist/main.js [--port N] [--host H]` (or PORT / HOST env).
import { start } from './index.js';
import { runMain } from '@loadctl-example/common';

await runMain('behaviour', (listen) => start(listen));
