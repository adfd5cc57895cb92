// Runnable entry: `node examples/docstore/dist/main.js [--port N] [--host H]` (or PORT / HOST env).
import { start } from './index.js';
import { runMain } from '@loadctl-example/common';

await runMain('docstore', (listen) => start(listen));
