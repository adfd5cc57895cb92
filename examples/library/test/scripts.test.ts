/**
 * The runnable examples of docs/library.md, run as a user runs them (`node <script>`), each
 * against example services it starts on free loopback ports.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = (name: string): string => fileURLToPath(new URL(`../${name}`, import.meta.url));

/** Run a script with node; its exit code and output (a non-zero exit is a result, not a throw). */
function node(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

describe('examples/library', () => {
  it('signed-load.mjs: hooks log in once in setup and sign every request the workers send', async () => {
    const r = await node([script('signed-load.mjs')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const saw = JSON.parse(/the API saw: (.*)$/m.exec(r.stdout)![1]) as { logins: number; signed: number; rejected: number };
    const requests = Number(/^(\d+) requests/m.exec(r.stdout)![1]);
    expect(saw.logins).toBe(1);
    expect(saw.rejected).toBe(0);
    expect(saw.signed).toBe(requests);
    expect(requests).toBeGreaterThan(0);
  });

  it('follow-run.mjs: an object reporter and the slack-like module reporter; the handle stops the run after three intervals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-follow-'));
    const r = await node([script('follow-run.mjs'), dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^stopped after 3 intervals: interrupted, \d+ requests/m);
    const reporters = JSON.parse(/reporters (\{.*\})$/m.exec(r.stdout)!.at(1)!) as Record<string, { errors: number }>;
    expect(Object.keys(reporters).sort()).toEqual(['progress', 'slack-like']);
    expect(Object.values(reporters).every((h) => h.errors === 0)).toBe(true);
    expect(r.stdout.match(/^progress: \d+ s /gm)!.length).toBeGreaterThanOrEqual(3);
    const messages = readFileSync(join(dir, 'slack.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string });
    expect(messages[0].text).toMatch(/^:rocket: \*quick\* started/);
    expect(messages.at(-1)!.text).toMatch(/^:x: \*quick\* failed \(interrupted\)/);
  });

  it('capacity-two-builds.mjs: a capacity search per build, then the comparison', async () => {
    const r = await node([script('capacity-two-builds.mjs')]);
    expect([0, 1]).toContain(r.code); // 1 when build B measured as regressed: a CI gate's exit
    for (const build of ['build A', 'build B']) expect(r.stdout).toMatch(new RegExp(`^${build} \\(http://127\\.0\\.0\\.1:\\d+\\): \\d+/s, \\d+ requests/s, (found|none|inconclusive), limited by \\w+, \\d+ steps$`, 'm'));
    expect(r.stdout).toMatch(r.code === 0 ? /^build B vs build A: (ok|inconclusive)/m : /^build B vs build A: regressed/m);
  });
});
