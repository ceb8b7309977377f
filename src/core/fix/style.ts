/**
 * A file's own habits, read from its text, so generated code looks like the code around it: line endings, quotes,
 * semicolons, indentation. (A byte-order mark never reaches a fix: parsers and the codemod runner strip it.)
 */
export interface FileStyle {
  readonly eol: '\n' | '\r\n';
  readonly quote: "'" | '"';
  readonly semi: boolean;
  readonly indent: string;
}

/** The quote that opens a module specifier (`from '…'`, `require("…")`, `import('…')`). */
const SPECIFIER_QUOTE = /(?:from|require\(|import\()\s*(['"])/g;
/** How many specifiers decide the quote. */
const QUOTE_SAMPLE = 10;
/**
 * Imports stand at the top: the sample is taken from the file's first characters, and from the rest only when they
 * hold no specifier (a file that requires its modules further down), which halves the cost of the sample on files
 * with imports.
 */
const QUOTE_HEAD = 4096;

/** Single and double quotes of the first `QUOTE_SAMPLE` module specifiers in `text`. */
function sampleQuotes(text: string): { single: number; double: number } {
  let single = 0;
  let double = 0;
  for (const match of text.matchAll(SPECIFIER_QUOTE)) {
    if (match[1] === '"') double++;
    else single++;
    if (single + double === QUOTE_SAMPLE) break;
  }
  return { single, double };
}

export function detectStyle(text: string): FileStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // Quotes: module specifiers are the most reliable sample.
  let sample = sampleQuotes(text.length > QUOTE_HEAD ? text.slice(0, QUOTE_HEAD) : text);
  if (sample.single + sample.double === 0 && text.length > QUOTE_HEAD) sample = sampleQuotes(text);
  const { single, double } = sample;
  const quote = double > single ? '"' : "'";
  // Semicolons: a statement ending a line with `;` anywhere, or no line ending with `)`, an identifier or a quote.
  const semi = /;[ \t]*\r?$/m.test(text) || !/[\w)\]'"`][ \t]*\r?$/m.test(text);
  const indentMatch = /^([ \t]+)\S/m.exec(text);
  const indent = indentMatch?.[1]?.startsWith('\t')
    ? '\t'
    : indentMatch && indentMatch[1]!.length % 4 === 0 && !/^ {2}\S/m.test(text)
      ? '    '
      : '  ';
  return { eol, quote, semi, indent };
}

/**
 * Generated code, written with `\n`, two-space indentation, single quotes and semicolons, in the file's style.
 * Generated code never has quotes or semicolons inside string literals.
 */
export function render(code: string, style: FileStyle): string {
  let out = code;
  if (style.indent !== '  ') out = out.replace(/^((?: {2})+)/gm, (m) => style.indent.repeat(m.length / 2));
  if (style.quote === '"') out = out.replace(/'/g, '"');
  if (!style.semi) out = out.replace(/;$/gm, '');
  return out;
}

/** Inserted text with the file's line endings. */
export function withEol(code: string, style: FileStyle): string {
  return style.eol === '\n' ? code : code.replace(/\r?\n/g, style.eol);
}
