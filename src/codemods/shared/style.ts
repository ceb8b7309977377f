/**
 * A file's own habits, read from its text, so generated code looks like the code around it and untouched code
 * stays byte for byte: byte-order mark, line endings, quotes, semicolons, indentation.
 */
export interface FileStyle {
  readonly bom: boolean;
  readonly eol: '\n' | '\r\n';
  readonly quote: "'" | '"';
  readonly semi: boolean;
  readonly indent: string;
}

export function detectStyle(text: string): FileStyle {
  const bom = text.charCodeAt(0) === 0xfeff;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // Quotes: the module specifiers are the most reliable sample.
  const single = (text.match(/(?:from|require\(|import\()\s*'/g) ?? []).length;
  const double = (text.match(/(?:from|require\(|import\()\s*"/g) ?? []).length;
  const quote = double > single ? '"' : "'";
  // Semicolons: statements ending a line with `;` versus lines ending with `)` or an identifier.
  const withSemi = (text.match(/;[ \t]*\r?$/gm) ?? []).length;
  const withoutSemi = (text.match(/[\w)\]'"`][ \t]*\r?$/gm) ?? []).length;
  const semi = withSemi > 0 || withoutSemi === 0;
  const indentMatch = /^([ \t]+)\S/m.exec(text);
  const indent = indentMatch?.[1]?.startsWith('\t') ? '\t' : indentMatch && indentMatch[1]!.length % 4 === 0 && !/^ {2}\S/m.test(text) ? '    ' : '  ';
  return { bom, eol, quote, semi, indent };
}

/**
 * Renders generated code written with `\n`, two-space indentation, single quotes and semicolons in the file's
 * own style. Generated code never contains string literals with quotes or semicolons inside them.
 */
export function render(code: string, style: FileStyle): string {
  let out = code;
  if (style.indent !== '  ') out = out.replace(/^((?: {2})+)/gm, (m) => style.indent.repeat(m.length / 2));
  if (style.quote === '"') out = out.replace(/'/g, '"');
  if (!style.semi) out = out.replace(/;$/gm, '');
  return out;
}

/** Source text copied from the file: `\n` line breaks, re-indented by `prefix` on every non-empty line. */
export function reindent(source: string, prefix: string): string {
  return source
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : prefix + line))
    .join('\n');
}

/** Final step for inserted text: the file's line endings. */
export function withEol(code: string, style: FileStyle): string {
  return style.eol === '\n' ? code : code.replace(/\r?\n/g, style.eol);
}
