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

export function detectStyle(text: string): FileStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // Quotes: module specifiers are the most reliable sample.
  const single = (text.match(/(?:from|require\(|import\()\s*'/g) ?? []).length;
  const double = (text.match(/(?:from|require\(|import\()\s*"/g) ?? []).length;
  const quote = double > single ? '"' : "'";
  // Semicolons: statements ending a line with `;` versus lines ending with `)` or an identifier.
  const withSemi = (text.match(/;[ \t]*\r?$/gm) ?? []).length;
  const withoutSemi = (text.match(/[\w)\]'"`][ \t]*\r?$/gm) ?? []).length;
  const semi = withSemi > 0 || withoutSemi === 0;
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
