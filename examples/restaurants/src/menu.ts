// The `restaurant-menu` command, as a function so it can be tested in-process.
import { startUpstream } from './upstream.js';
import type { Menu } from './data.js';

export interface MenuCliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: MenuCliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

export const MENU_USAGE = `usage: restaurant-menu "<restaurant name>" [--url http://host:port]

Prints the dishes of a restaurant. --url points at the menu service or the caching
proxy (both answer GET /restaurants/:name); without it an in-process upstream is used.
Exit codes: 0 found, 1 unknown restaurant, 2 bad usage, 3 service unreachable.
`;

const euros = (price: number): string => `EUR ${price.toFixed(2)}`;

/** Runs the menu CLI with `args` (without `node` and the script); resolves to the exit code. */
export async function runMenuCli(args: readonly string[], io: MenuCliIo = processIo): Promise<number> {
  const words: string[] = [];
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      io.out(MENU_USAGE);
      return 0;
    }
    if (arg === '--url') {
      url = args[++i];
      if (url === undefined) {
        io.err(`--url needs a value\n\n${MENU_USAGE}`);
        return 2;
      }
    } else if (arg.startsWith('--url=')) url = arg.slice('--url='.length);
    else if (arg.startsWith('-')) {
      io.err(`unknown option ${arg}\n\n${MENU_USAGE}`);
      return 2;
    } else words.push(arg);
  }
  const name = words.join(' ').trim();
  if (name.length === 0) {
    io.err(MENU_USAGE);
    return 2;
  }
  if (url !== undefined && !/^https?:\/\//.test(url)) {
    io.err(`--url must start with http:// or https://, got "${url}"\n`);
    return 2;
  }

  const local = url === undefined ? await startUpstream({ delayMs: 0 }) : undefined;
  const base = (url ?? local!.url).replace(/\/+$/, '');
  try {
    const res = await fetch(`${base}/restaurants/${encodeURIComponent(name)}`);
    if (res.status === 404) {
      await res.body?.cancel();
      const names = (await (await fetch(`${base}/restaurants`)).json()) as string[];
      io.out(`unknown restaurant: "${name}"\nKnown restaurants:\n${names.map((n) => `  ${n}\n`).join('')}`);
      return 1;
    }
    if (!res.ok) {
      io.err(`menu service answered ${res.status} for "${name}"\n`);
      return 3;
    }
    const menu = (await res.json()) as Menu;
    const width = Math.max(...menu.dishes.map((dish) => dish.name.length));
    io.out(`${menu.name} (${menu.cuisine})\n`);
    for (const dish of menu.dishes) {
      io.out(`  ${dish.name.padEnd(width)}  ${euros(dish.price).padStart(10)}${dish.vegetarian ? '  (v)' : ''}\n`);
    }
    return 0;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    io.err(`cannot reach the menu service at ${base}: ${cause?.code ?? cause?.message ?? String(err)}\n`);
    return 3;
  } finally {
    await local?.close();
  }
}
