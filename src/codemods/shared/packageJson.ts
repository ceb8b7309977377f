/**
 * Adding a package that changed code now imports to the nearest `package.json` (`lambda-rds migrate` does it once
 * per manifest after the codemod has run, so parallel workers never race on one file). The manifest keeps its
 * layout: it is rewritten only when it is in the layout `JSON.stringify` gives (its own indentation, line endings
 * and final newline), which is what npm writes; otherwise it is left alone with the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface DependencyPlan {
  /** The manifest, or undefined when none was found. */
  readonly manifest: string | undefined;
  readonly name: string;
  readonly version: string;
  /** `add`: `after` is the new text; the rest: nothing to write, `message` says why. */
  readonly action: 'add' | 'present' | 'left';
  readonly message: string;
  readonly before?: string;
  readonly after?: string;
  /** The entry `name` took the place of (`"mysql": "^2.18.1"`), when it replaced one. */
  readonly replaced?: string;
}

/** The `package.json` in the file's directory or the closest one above it. */
export function nearestManifest(file: string): string | undefined {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const OTHER_SECTIONS = ['devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/**
 * What adding `name@version` to the `dependencies` of `manifest` (its text `current`, else read) takes. With
 * `replaces`, that package (mysql for mysql2) leaves `dependencies` in the same edit when it is listed there.
 */
export function planDependency(
  manifest: string | undefined,
  name: string,
  version: string,
  current?: string,
  replaces?: string,
): DependencyPlan {
  const base = { manifest, name, version };
  const wanted = `"${name}": "${version}"`;
  if (!manifest) {
    return { ...base, action: 'left', message: `no package.json found; add ${wanted} to the dependencies of the function's package` };
  }
  const before = current ?? readFileSync(manifest, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(before.replace(/^\uFEFF/, ''));
  } catch {
    return { ...base, action: 'left', message: `it is not valid JSON; add ${wanted} to its dependencies yourself` };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { ...base, action: 'left', message: `it is not a JSON object; add ${wanted} to its dependencies yourself` };
  }
  const json = data as Record<string, unknown>;
  const dependencies = json.dependencies;
  if (dependencies !== undefined && (typeof dependencies !== 'object' || dependencies === null || Array.isArray(dependencies))) {
    return { ...base, action: 'left', message: `its "dependencies" is not an object; add ${wanted} yourself` };
  }
  if (dependencies && Object.hasOwn(dependencies, name)) return { ...base, action: 'present', message: `already lists ${name}` };
  const other = OTHER_SECTIONS.find((s) => {
    const section = json[s];
    return section && typeof section === 'object' && Object.hasOwn(section, name);
  });
  if (other) {
    return {
      ...base,
      action: 'left',
      message: `lists ${name} in "${other}" only; the deployed function needs it at run time, so move it to "dependencies" unless your bundler includes it`,
    };
  }
  const layout = layoutOf(before);
  if (render(json, layout) !== before) {
    return { ...base, action: 'left', message: `its layout is not the one npm writes, so it is left as it is; add ${wanted} to its dependencies` };
  }
  let section = { ...((dependencies ?? {}) as Record<string, unknown>) };
  const replaced = replaces !== undefined && Object.hasOwn(section, replaces) ? `"${replaces}": "${String(section[replaces])}"` : undefined;
  if (replaced) delete section[replaces!];
  section = withKey(section, name, version);
  const updated = { ...json, dependencies: section };
  const message = replaced ? `replaced ${replaced} with ${wanted} in its dependencies` : `added ${wanted} to its dependencies`;
  return { ...base, action: 'add', message, before, after: render(updated, layout), ...(replaced ? { replaced } : {}) };
}

interface Layout {
  readonly bom: boolean;
  readonly indent: string;
  readonly eol: string;
  readonly finalNewline: boolean;
}

function layoutOf(text: string): Layout {
  const body = text.replace(/^\uFEFF/, '');
  return {
    bom: body !== text,
    indent: /^[{[]\r?\n([ \t]+)/.exec(body)?.[1] ?? '  ',
    eol: body.includes('\r\n') ? '\r\n' : '\n',
    finalNewline: /\n$/.test(body),
  };
}

function render(json: unknown, layout: Layout): string {
  const text = JSON.stringify(json, null, layout.indent).replace(/\n/g, layout.eol);
  return `${layout.bom ? '\uFEFF' : ''}${text}${layout.finalNewline ? layout.eol : ''}`;
}

/** The section with the key added: in order when the keys are sorted (as npm keeps them), else last. */
function withKey(section: Record<string, unknown>, name: string, version: string): Record<string, unknown> {
  const keys = Object.keys(section);
  const sorted = keys.every((k, i) => i === 0 || keys[i - 1]!.localeCompare(k, 'en') <= 0);
  const entries = Object.entries(section);
  const at = sorted ? entries.findIndex(([k]) => k.localeCompare(name, 'en') > 0) : -1;
  entries.splice(at < 0 ? entries.length : at, 0, [name, version]);
  return Object.fromEntries(entries);
}
