/** The rule docs as tests read them: their text, and the `❌` / `✅` code examples under `## Examples`. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface DocExample {
  /** Labelled `❌` (must be reported) rather than `✅`. */
  readonly bad: boolean;
  readonly lang: string;
  readonly code: string;
  /** The line of the opening fence. */
  readonly line: number;
}

/** `❌`/`✅` examples of a rule doc: fenced js/ts blocks under `## Examples`, labelled by the line before. */
export function docExamples(name: string): DocExample[] {
  const text = readDoc(name);
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^## Examples\b/.test(l));
  if (start < 0) return [];
  const out: DocExample[] = [];
  let label: boolean | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^## /.test(line)) break;
    if (line.startsWith('❌')) label = true;
    else if (line.startsWith('✅')) label = false;
    const fence = /^```(js|ts|javascript|typescript)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !lines[j]!.startsWith('```'); j++) body.push(lines[j]!);
      if (label !== undefined) out.push({ bad: label, lang: fence[1]!, code: body.join('\n'), line: i + 1 });
      label = undefined;
      i = j;
    } else if (line.trim() !== '' && !line.startsWith('❌') && !line.startsWith('✅')) {
      label = undefined;
    }
  }
  return out;
}

/** A rule doc's text ('' when missing: test/meta/plugin.test.ts names the missing doc). */
export function readDoc(name: string): string {
  const file = join(root, 'docs/rules', `${name}.md`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
