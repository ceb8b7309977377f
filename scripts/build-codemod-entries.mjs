// Writes the jscodeshift entry of each codemod, dist/codemods/<name>.js, as a small CommonJS file.
//
// jscodeshift's workers `require()` the transform, by default through a Babel require hook that compiles what
// it loads to CommonJS; an ES module loaded that way breaks. The entry therefore is CommonJS and loads the
// ES module implementation (dist/codemods/<name>/transform.js) with a dynamic import, which no require hook
// sees. package.json files mark dist/codemods as CommonJS and the implementation folders as ES modules.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../dist/codemods/', import.meta.url));
const names = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'transform.js')))
  .map((e) => e.name);

writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
for (const entry of readdirSync(dir, { withFileTypes: true })) {
  if (entry.isDirectory()) {
    writeFileSync(path.join(dir, entry.name, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
  }
}
for (const name of names) {
  writeFileSync(
    path.join(dir, `${name}.js`),
    `'use strict';
// jscodeshift entry of the ${name} codemod: jscodeshift -t <this file> <paths>
// (CommonJS on purpose; the implementation is an ES module, loaded with a dynamic import.)
const load = new Function('specifier', 'return import(specifier)');
const implementation = load(require('node:url').pathToFileURL(require('node:path').join(__dirname, '${name}', 'transform.js')).href);

module.exports = async function transformer(file, api, options) {
  const { default: transform } = await implementation;
  return transform(file, api, options);
};
`,
  );
  writeFileSync(
    path.join(dir, `${name}.d.ts`),
    `import type { API, FileInfo, Options } from 'jscodeshift';
declare function transformer(file: FileInfo, api: API, options?: Options): Promise<string | undefined>;
export = transformer;
`,
  );
}
// On stderr: `npm pack` runs this build (prepack), and whatever it prints on stdout lands in front of the
// tarball name that tools such as pre-commit read from `npm pack`'s stdout.
console.error(`codemod entries: ${names.join(', ')}`);
