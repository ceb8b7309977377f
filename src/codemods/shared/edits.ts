/** Minimal text patches: untouched code stays byte for byte. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const edit of sorted) {
    if (edit.start < pos) throw new Error(`overlapping edits at ${edit.start}`);
    out += text.slice(pos, edit.start) + edit.text;
    pos = edit.end;
  }
  return out + text.slice(pos);
}

/** Where a statement starts once the comments directly above it are included. */
export function startWithLeadingComments(text: string, start: number, floor: number): number {
  let pos = start;
  for (;;) {
    let p = pos;
    while (p > floor && /\s/.test(text[p - 1]!)) p--;
    if (p >= floor + 2 && text.slice(p - 2, p) === '*/') {
      const open = text.lastIndexOf('/*', p - 2);
      if (open < floor) return pos;
      pos = open;
      continue;
    }
    const lineStart = text.lastIndexOf('\n', p - 1) + 1;
    const line = text.slice(Math.max(lineStart, floor), p);
    if (lineStart >= floor && /^[ \t]*\/\//.test(line)) {
      pos = lineStart + line.search(/\S/);
      continue;
    }
    return pos;
  }
}

/**
 * The range that removes a statement (with the comments directly above it) and, when it has its own lines,
 * those whole lines, so no blank line is left behind.
 */
export function removalRange(text: string, start: number, end: number, floor = 0): [number, number] {
  const from = startWithLeadingComments(text, start, floor);
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  const rest = /^[ \t]*(?:\r?\n|$)/.exec(text.slice(end, end + 200));
  if (rest && /^[ \t]*$/.test(text.slice(lineStart, from))) {
    let to = end + rest[0].length;
    // First statement of a block followed by a blank line: take the blank line too, so the block does not
    // start with one.
    const before = text.slice(Math.max(0, lineStart - 200), lineStart);
    const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(to, to + 200));
    if (blankAfter && /\{[ \t]*\r?\n$/.test(before)) to += blankAfter[0].length;
    return [lineStart, to];
  }
  return [from, end + /^[ \t]*/.exec(text.slice(end, end + 200))![0].length];
}

/** The indentation of the line a position is on. */
export function indentAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Text re-indented so its first line has no indentation (continuation lines lose the same amount). */
export function dedent(text: string, indent: string): string {
  if (!indent) return text;
  return text
    .split('\n')
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/** Text with every line after the first indented by `indent`. */
export function indentLines(text: string, indent: string): string {
  return text.replace(/\n(?!\r?\n|$)/g, `\n${indent}`);
}
