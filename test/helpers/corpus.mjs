/**
 * A corpus of real third-party code for robustness tests and the benchmark: the source files of the project's own
 * `node_modules`, chosen deterministically, plus "handler variants" of them that import a database driver and
 * export a Lambda handler creating a pool, so that the rules' analysis runs on real code instead of taking its
 * early exit. Plain JavaScript so that both vitest and `node bench/run.mjs` can import it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

const SOURCE = /\.(?:[cm]?js|[cm]?ts)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/**
 * Every JS/TS source file under `root` (symbolic links are not followed), sorted by path so that the selection
 * never depends on the order the file system lists directories in.
 */
export function listSourceFiles(root, { maxBytes = 512 * 1024, declarations = false } = {}) {
  const out = [];
  const visit = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.bin' && entry.name !== '.cache' && entry.name !== '.vite') visit(path);
      } else if (entry.isFile() && SOURCE.test(entry.name)) {
        if (!declarations && DECLARATION.test(entry.name)) continue;
        const size = statSync(path).size;
        if (size <= maxBytes) out.push({ path, relative: path.slice(root.length + 1).split(sep).join('/'), size });
      }
    }
  };
  visit(root);
  return out;
}

/** `limit` items spread evenly over `list` (all of them when it is short enough), keeping their order. */
export function spread(list, limit) {
  if (list.length <= limit) return list.slice();
  const out = [];
  for (let i = 0; i < limit; i++) out.push(list[Math.floor((i * list.length) / limit)]);
  return out;
}

/**
 * At most `limit` files: every TypeScript, `.mjs` and `.cjs` source first (they are the minority), then plain
 * `.js` and declaration files spread evenly over the sorted list, so that every package is represented.
 */
export function selectCorpus(files, limit) {
  const isMinority = (f) => !DECLARATION.test(f.path) && /\.(?:[cm]?ts|[cm]js)$/.test(f.path);
  const minority = files.filter(isMinority);
  const rest = files.filter((f) => !isMinority(f));
  const chosen = [...spread(minority, limit), ...spread(rest, Math.max(0, limit - minority.length))];
  return chosen.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/** How to parse a file: TypeScript or not, and the source types to try, best guess first. */
export function parseModes(path) {
  const typescript = /\.[cm]?ts$/.test(path);
  const declaration = DECLARATION.test(path);
  if (/\.c[jt]s$/.test(path)) return { typescript, declaration, sourceTypes: ['commonjs'] };
  if (/\.m[jt]s$/.test(path)) return { typescript, declaration, sourceTypes: ['module'] };
  return { typescript, declaration, sourceTypes: ['module', 'commonjs'] };
}

/** Reads a file as UTF-8 text. */
export function readText(path) {
  return readFileSync(path, 'utf8');
}

const TOP_LEVEL_FUNCTION = /^(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[(<]/gm;
const NOT_CALLABLE = new Set(['await', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'eval', 'arguments']);

/** Names of functions declared at the start of a line (in practice: top-level function declarations). */
export function topLevelFunctionNames(text, limit = 3) {
  const names = [];
  for (const match of text.matchAll(TOP_LEVEL_FUNCTION)) {
    const name = match[1];
    if (NOT_CALLABLE.has(name) || names.includes(name)) continue;
    names.push(name);
    if (names.length === limit) break;
  }
  return names;
}

/** The identifiers the variants add; chosen so that they never collide with names in real code. */
export const PROBE = { driver: 'lambdaRdsProbePg', handler: 'lambdaRdsProbeHandler', pool: 'lambdaRdsProbePool' };

/**
 * The file's code with the `pg` driver imported at the top and, at the end, an exported Lambda handler that
 * creates a pool on every invocation and calls the file's own top-level functions. ESM syntax for `module`,
 * `require`/`exports` otherwise. A shebang and a BOM stay in front.
 */
export function handlerVariant(text, sourceType, functionNames = topLevelFunctionNames(text)) {
  let head = '';
  let body = text;
  if (body.startsWith('\uFEFF')) {
    head = '\uFEFF';
    body = body.slice(1);
  }
  if (body.startsWith('#!')) {
    const end = body.indexOf('\n');
    head += end === -1 ? `${body}\n` : body.slice(0, end + 1);
    body = end === -1 ? '' : body.slice(end + 1);
  }
  const esm = sourceType === 'module';
  const calls = functionNames.map((name) => `  ${name}(event);\n`).join('');
  const fn = `async (event) => {\n  const ${PROBE.pool} = new ${PROBE.driver}.Pool();\n${calls}  return ${PROBE.pool}.query('select 1');\n};\n`;
  const prelude = esm ? `import ${PROBE.driver} from 'pg';\n` : `const ${PROBE.driver} = require('pg');\n`;
  const exported = esm ? `export const ${PROBE.handler} = ${fn}` : `exports.${PROBE.handler} = ${fn}`;
  return `${head}${prelude}${body}\n;\n${exported}`;
}

/** `true` when the text imports a module this plugin knows as a database driver (a rough, rule-independent check). */
export function importsDatabaseDriver(text) {
  return /(?:from\s*|require\s*\(\s*|import\s*\(\s*)['"](?:pg|pg-pool|postgres|mysql2(?:\/promise)?|mysql|mariadb|knex|sequelize|typeorm|@prisma\/client|kysely|mssql|tedious|serverless-mysql|serverless-postgres|slonik|pg-promise|@neondatabase\/serverless|@vercel\/postgres|drizzle-orm\/[\w/-]+)['"]/.test(
    text,
  );
}

/**
 * The file name to lint a corpus file under: inside a `corpus/` folder and with `node_modules` segments renamed,
 * because ESLint ignores `node_modules` by default and would otherwise not lint the file at all.
 */
export function virtualFilename(relative) {
  return `corpus/${relative.replace(/(^|\/)node_modules(?=\/)/g, '$1nm')}`;
}
