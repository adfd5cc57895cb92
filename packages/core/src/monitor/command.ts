/**
 * --monitor-cmd: the target started under loadctl. It runs through /bin/sh (so quoting,
 * variables and `VAR=1 node server.js` work); a simple command is exec'd by that shell, so the
 * pid loadctl samples is the target's own. Its stdout and stderr go straight to files (no
 * pipe through loadctl's event loop). At the end it gets SIGTERM, then SIGKILL after a grace;
 * both go to its process group, so children it spawned stop too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export interface CommandExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Shell syntax that `exec` cannot prefix (outside quotes): lists, pipes, redirections, subshells. */
const COMPOUND = /[;&|<>()`\n]|\$\(/;
/** First words that are not a program to exec: keywords and builtins. */
const NOT_A_PROGRAM = new Set(['if', 'for', 'while', 'until', 'case', '{', '!', 'exec', 'exit', 'cd', 'export', 'set', 'unset', 'eval', '.', 'source', ':', 'true', 'false', 'read', 'wait', 'trap', 'ulimit', 'umask', 'test', '[']);
const ASSIGNMENTS = /^(\s*[A-Za-z_]\w*=(?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"])*\s+)*/;

/** `cmd` with `exec` put before the program (after leading VAR=value assignments) when that is safe. */
export function execForm(cmd: string): string {
  const unquoted = cmd.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '""');
  if (COMPOUND.test(unquoted)) return cmd;
  const assignments = ASSIGNMENTS.exec(cmd)?.[0] ?? '';
  const rest = cmd.slice(assignments.length);
  const first = /^\S+/.exec(rest)?.[0] ?? '';
  if (first === '' || NOT_A_PROGRAM.has(first)) return cmd;
  return `${assignments}exec ${rest}`;
}

export class TargetCommand {
  private child: ChildProcess | undefined;
  private exitInfo: CommandExit | undefined;
  private exited: Promise<CommandExit> | undefined;
  private stopping = false;
  readonly stdoutPath: string;
  readonly stderrPath: string;

  constructor(
    readonly command: string,
    logDir: string,
    /** File name stem: "target" -> target.stdout.log, target.stderr.log. */
    stem: string,
  ) {
    this.stdoutPath = join(logDir, `${stem}.stdout.log`);
    this.stderrPath = join(logDir, `${stem}.stderr.log`);
    mkdirSync(logDir, { recursive: true });
  }

  start(): void {
    const out = openSync(this.stdoutPath, 'w');
    const err = openSync(this.stderrPath, 'w');
    try {
      this.child = spawn('/bin/sh', ['-c', execForm(this.command)], { stdio: ['ignore', out, err], detached: true });
    } finally {
      closeSync(out);
      closeSync(err);
    }
    const child = this.child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      child.once('error', () => {
        this.exitInfo ??= { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
  }

  /** The running target's pid; undefined before start and after it exited. */
  get pid(): number | undefined {
    return this.exitInfo === undefined ? this.child?.pid : undefined;
  }

  /** How it ended, if it has. */
  get exit(): CommandExit | undefined {
    return this.exitInfo;
  }

  /** Whether it exited on its own (not stopped by loadctl). */
  get exitedEarly(): boolean {
    return this.exitInfo !== undefined && !this.stopping;
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when it has exited. Returns whether SIGKILL was needed. */
  async stop(graceMs: number): Promise<{ killed: boolean }> {
    const child = this.child;
    if (!child || !this.exited || this.exitInfo) return { killed: false };
    this.stopping = true;
    const signal = (s: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, s);
      } catch {
        child.kill(s);
      }
    };
    signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (killed) {
      signal('SIGKILL');
      await this.exited;
    }
    return { killed };
  }
}
