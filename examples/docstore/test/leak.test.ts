import { describe, expect, it } from 'vitest';
import { createApp, leakOptionsFromProcess, start } from '../src/index.js';
import { buildPackage, spawnEntry } from './helpers.js';

describe('docstore leak switches', () => {
  it('are off by default: nothing is kept and /leak does not exist', async () => {
    const app = createApp();
    const res = await app.inject({ method: 'GET', url: '/leak' });
    expect(res.statusCode).toBe(404);
    await app.close();
  });

  it('keep memory per request and a connection every N requests, counted by /leak', async () => {
    const svc = await start({ leak: { memoryKb: 4, socketsEvery: 3 } });
    try {
      for (let i = 0; i < 9; i++) expect((await fetch(`${svc.url}/health`)).status).toBe(200);
      const leaked = (await (await fetch(`${svc.url}/leak`)).json()) as { requests: number; bytes: number; sockets: number };
      // 9 health requests are counted when answered; /leak itself is counted after its answer.
      expect(leaked).toEqual({ requests: 9, bytes: 9 * 4 * 1024, sockets: 3 });
    } finally {
      await svc.close();
    }
  });

  it('stop leaking memory at the bound', async () => {
    const svc = await start({ leak: { memoryKb: 600, maxMemoryMb: 1 } });
    try {
      for (let i = 0; i < 4; i++) await fetch(`${svc.url}/health`);
      const leaked = (await (await fetch(`${svc.url}/leak`)).json()) as { bytes: number };
      expect(leaked.bytes).toBe(600 * 1024);
    } finally {
      await svc.close();
    }
  });

  it('read from env and flags (flags win); a bad value is an error naming it', () => {
    expect(leakOptionsFromProcess({}, [])).toBeUndefined();
    expect(leakOptionsFromProcess({ LEAK_MEMORY_KB: '16' }, [])).toEqual({ memoryKb: 16, socketsEvery: 0, maxMemoryMb: undefined });
    expect(leakOptionsFromProcess({ LEAK_MEMORY_KB: '16' }, ['--leak-memory-kb', '32', '--leak-sockets-every=5'])).toEqual({ memoryKb: 32, socketsEvery: 5, maxMemoryMb: undefined });
    expect(() => leakOptionsFromProcess({ LEAK_SOCKETS_EVERY: 'many' }, [])).toThrow(/LEAK_SOCKETS_EVERY must be a number >= 0, got "many"/);
  });

  it('the built entry announces the leak on stderr', async () => {
    buildPackage();
    const s = await spawnEntry('main.js', { env: { LEAK_MEMORY_KB: '8', PORT: '0' } });
    try {
      expect(s.line).toMatch(/^docstore listening on http:\/\/127\.0\.0\.1:\d+$/);
      await fetch(`${s.url}/health`);
      expect(((await (await fetch(`${s.url}/leak`)).json()) as { bytes: number }).bytes).toBe(8 * 1024);
    } finally {
      await s.stop('SIGTERM');
    }
    expect(s.stderr()).toContain('leaking on purpose: 8 KiB per request');
  });
});
