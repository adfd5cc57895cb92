// Runnable entry: `node examples/docstore/dist/main.js [--port N] [--host H]` (or PORT / HOST env).
// Leak switches for soak tests: LEAK_MEMORY_KB / --leak-memory-kb, LEAK_SOCKETS_EVERY / --leak-sockets-every (src/leak.ts).
import { leakOptionsFromProcess, start } from './index.js';
import { runMain } from '@loadctl-example/common';

const leak = leakOptionsFromProcess();
if (leak) process.stderr.write(`docstore: leaking on purpose: ${leak.memoryKb ?? 0} KiB per request, a connection every ${leak.socketsEvery || '-'} requests\n`);
await runMain('docstore', (listen) => start({ ...listen, leak }));
