/**
 * Environment substitution, done once when the scenario is loaded (workers never read
 * the environment). Two spellings:
 *
 *   ${env.NAME}              value of NAME; an error if NAME is unset
 *   ${env.NAME ?? 'dflt'}    value of NAME, or 'dflt' if unset or empty (number defaults too)
 *   ${NAME:-dflt}            shell / docker-compose spelling of the same (dflt may be empty)
 *
 * Anywhere a string is read: target, headers, variables, step fields, durations, numbers
 * (`rate: ${env.RATE ?? 100}`), threshold expressions, reporter options. In template
 * fields the substituted value is escaped, so an env value is never itself a template.
 */
import { LoadctlError } from '../errors.js';
import { escapeTemplateText, findClose, parseExpression, TemplateError, unescapeTemplateText } from './template.js';

export type Env = Record<string, string | undefined>;

/** An env variable without default that is not set. */
export class EnvMissingError extends LoadctlError {
  declare readonly code: 'E_ENV';
  constructor(
    readonly variable: string,
    readonly offset: number,
  ) {
    super('E_ENV', `environment variable ${variable} is not set`, 2, `set it, or give a default: \${env.${variable} ?? 'value'}`);
    this.name = 'EnvMissingError';
  }
}

const SHELL = /^(?:env\.)?([A-Za-z_][A-Za-z0-9_]*):-([\s\S]*)$/;

export interface EnvSubstitution {
  value: string;
  /** True if at least one env expression was substituted. */
  substituted: boolean;
}

/**
 * Replace env expressions in `src`.
 * mode 'template': other `${...}` are left for the template compiler, escapes kept.
 * mode 'literal': the field is not a template: other `${...}` are an error, escapes removed.
 * Throws EnvMissingError or TemplateError.
 */
export function substituteEnv(src: string, env: Env, mode: 'template' | 'literal'): EnvSubstitution {
  if (!src.includes('${')) return { value: src, substituted: false };
  let out = '';
  let substituted = false;
  let i = 0;
  let last = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '$' && src[i + 1] === '$' && src[i + 2] === '{') {
      i += 3;
      continue;
    }
    if (c === '\\' && src[i + 1] === '$' && src[i + 2] === '{') {
      i += 3;
      continue;
    }
    if (c === '$' && src[i + 1] === '{') {
      const end = findClose(src, i + 2);
      if (end === -1) throw new TemplateError('unterminated "${" in template', i, 'a closing "}"');
      const inner = src.slice(i + 2, end);
      let value: string | undefined;
      const shell = SHELL.exec(inner.trim());
      if (shell) {
        const v = env[shell[1]];
        value = v === undefined || v === '' ? shell[2] : v;
      } else {
        let isEnv = false;
        try {
          const e = parseExpression(inner, i + 2);
          if (e.kind === 'ref' && e.ns === 'env') {
            isEnv = true;
            const v = env[e.path[0]];
            if (v !== undefined && v !== '') value = v;
            else if (e.fallback !== undefined) value = String(e.fallback);
            else throw new EnvMissingError(e.path[0], i);
          }
        } catch (err) {
          if (err instanceof EnvMissingError || mode === 'literal') throw err;
        }
        if (!isEnv && mode === 'literal') {
          throw new TemplateError(`"\${${inner}}" is not allowed here`, i, 'plain text or ${env.NAME}');
        }
      }
      if (value !== undefined) {
        out += (mode === 'literal' ? unescapeTemplateText(src.slice(last, i)) : src.slice(last, i)) + (mode === 'template' ? escapeTemplateText(value) : value);
        last = end + 1;
        substituted = true;
      }
      i = end + 1;
      continue;
    }
    i++;
  }
  const tail = src.slice(last);
  out += mode === 'literal' ? unescapeTemplateText(tail) : tail;
  return { value: out, substituted };
}
