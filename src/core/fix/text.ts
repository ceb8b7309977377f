/**
 * Text patches and the text measurements fixes need. Fixes are minimal patches at AST offsets: code they do not
 * touch stays byte for byte (formatting, comments, line endings).
 */

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Applies non-overlapping edits; insertions at one offset keep their order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
    .map(({ edit }) => edit);
  let out = '';
  let pos = 0;
  for (const edit of sorted) {
    if (edit.start < pos) throw new Error(`overlapping edits at offset ${edit.start}`);
    out += text.slice(pos, edit.start) + edit.text;
    pos = edit.end;
  }
  return out + text.slice(pos);
}

/** Where a statement starts once the comments directly above it (not crossing `floor`) are included. */
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
 * those whole lines, so no blank line is left behind. A first statement of a block followed by a blank line takes
 * the blank line too, so the block does not start with one.
 */
export function removalRange(text: string, start: number, end: number, floor = 0, keepComments = false): [number, number] {
  const from = keepComments ? start : startWithLeadingComments(text, start, floor);
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  const rest = /^[ \t]*;?[ \t]*(?:\r?\n|$)/.exec(text.slice(end, end + 400));
  if (rest && /^[ \t]*$/.test(text.slice(lineStart, from))) {
    let to = end + rest[0].length;
    // Between a blank line (or a block's opening line) and another blank line: take one of the blank lines too.
    const before = text.slice(Math.max(0, lineStart - 200), lineStart);
    const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(to, to + 200));
    if (blankAfter && (/\{[ \t]*\r?\n$/.test(before) || /\n[ \t]*\r?\n$/.test(before))) to += blankAfter[0].length;
    return [lineStart, to];
  }
  return [from, end + /^[ \t]*/.exec(text.slice(end, end + 200))![0].length];
}

export function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** The indentation of the line a position is on. */
export function indentAt(text: string, pos: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartOf(text, pos)))![0];
}

/** Text whose continuation lines lose `indent` (the first line is taken from its own start). */
export function dedent(text: string, indent: string): string {
  if (!indent) return text;
  return text
    .split('\n')
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/** Source text with `\n` line breaks, `prefix` put before every non-empty line. */
export function reindent(source: string, prefix: string): string {
  return source
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : prefix + line))
    .join('\n');
}

/** The text of `[start, end)` taken out of its place: `\n` line breaks, continuation lines dedented. */
export function movedText(text: string, start: number, end: number): string {
  return dedent(text.slice(start, end), indentAt(text, start)).replace(/\r\n/g, '\n');
}
