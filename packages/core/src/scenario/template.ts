/**
 * The template language of scenario strings. Safe by construction: a tiny parser and
 * a closure compiler, no `eval`, no `new Function`.
 *
 *   template := ( text | "${" expr "}" )*       "$${" and "\${" write a literal "${"
 *   expr     := ref [ "??" literal ] | call
 *   ref      := name                            capture of this iteration, else variable
 *             | "vars." name                    scenario variable (constant)
 *             | "env." NAME                     environment variable (resolved when the scenario is loaded)
 *             | "data." source "." column       column of the current row of a data source
 *             | name "." key ( "." key )*       field of a captured object
 *   call     := fn "(" [ arg ( "," arg )* ] ")"
 *   arg      := literal | ref
 *   literal  := number | 'text' | "text"
 *
 * Functions: uuid(), randomInt(min, max), randomString(len[, chars]), pick(a, b, ...),
 * now() (epoch ms), isoNow(), timestamp() (epoch s), iteration(), vu(),
 * base64(x), urlencode(x), string(x).
 *
 * The language is in three modules: template-syntax (parts, parser, references),
 * template-functions (the callable functions, stringify) and template-compile (closures).
 */
export * from './template-syntax.js';
export * from './template-functions.js';
export * from './template-compile.js';
