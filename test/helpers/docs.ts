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

/**
 * `❌`/`✅` examples of a rule doc: fenced js/ts blocks under `## Examples` (and `## Stack code`, for the rules that
 * check CDK and Pulumi stacks), labelled by the line before.
 */
export function docExamples(name: string): DocExample[] {
  const lines = readDoc(name).split('\n');
  const out: DocExample[] = [];
  lines.forEach((line, index) => {
    if (/^## (?:Examples|Stack code)\b/.test(line)) out.push(...sectionExamples(lines, index));
  });
  return out;
}

function sectionExamples(lines: readonly string[], start: number): DocExample[] {
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
