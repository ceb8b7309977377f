/**
 * The form of a rule message, as in ESLint core, typescript-eslint and unicorn: one sentence that says what is wrong
 * and what to do, at most `MAX_MESSAGE_LENGTH` characters once its placeholders are filled in, ending in a period.
 * The explanation belongs in the rule's doc page, which editors and `lambda-rds scan` link.
 *
 * Used on the messages of every rule test's invalid cases (test/rule-tester.ts) and on realistic code in
 * test/meta/messages.test.ts.
 */
import type { Linter } from 'eslint';

/**
 * The longest message allowed, counted after interpolation, with the data of real code: hostnames, setting paths,
 * handler and driver names. No tolerance above it. A value a user writes (a hostname, a handler name) can always be
 * longer than any real one, so the data placeholders are kept short at their source instead: SQL constructs are cut
 * at 40 characters, query receivers at 30, and messages do not repeat what the report location already shows.
 */
export const MAX_MESSAGE_LENGTH = 140;

/** What is wrong with a rendered message or suggestion text; empty when it has the required form. */
export function messageProblems(text: string): string[] {
  const problems: string[] = [];
  if (text.length > MAX_MESSAGE_LENGTH) problems.push(`${text.length} characters, more than ${MAX_MESSAGE_LENGTH}`);
  if (/[\r\n]/.test(text)) problems.push('more than one line');
  if (!/[^.]\.$/.test(text)) problems.push('does not end with a single period');
  if (/\{\{[^}]*\}\}/.test(text)) problems.push('has a placeholder without data');
  // Code spans may hold any punctuation (`pool.end()`, `/*! … */`); outside them, a period, question mark or
  // exclamation mark followed by white space ends a sentence, so another one follows.
  const prose = text.replace(/`[^`]*`/g, 'code');
  if (/`/.test(prose)) problems.push('has an unclosed code span');
  if (/[.!?]["')\]]*\s/.test(prose)) problems.push('has more than one sentence');
  return problems;
}

/** A message or suggestion as ESLint rendered it, with the id it came from. */
export interface RenderedMessage {
  readonly ruleId: string;
  readonly messageId: string;
  readonly text: string;
  /** Where it came from, for failure output. */
  readonly source: string;
}

/** Every report and suggestion text of lint messages, with its message id. */
export function renderedMessages(
  messages: readonly Linter.LintMessage[],
  ruleId: string,
  source: string,
): RenderedMessage[] {
  const out: RenderedMessage[] = [];
  for (const message of messages) {
    if (message.ruleId !== ruleId) continue;
    out.push({ ruleId, messageId: message.messageId ?? '(none)', text: message.message, source });
    for (const suggestion of message.suggestions ?? []) {
      out.push({ ruleId, messageId: suggestion.messageId ?? '(none)', text: suggestion.desc, source });
    }
  }
  return out;
}

/** `id: problem, problem: "text" (source)` for each message that breaks the form. */
export function formatProblems(messages: readonly RenderedMessage[]): string[] {
  return messages.flatMap((m) => {
    const problems = messageProblems(m.text);
    return problems.length === 0 ? [] : [`${m.messageId}: ${problems.join(', ')}: "${m.text}" (${m.source})`];
  });
}

/** The message ids a rule declares that none of the messages used. */
export function unusedMessageIds(declared: Readonly<Record<string, string>>, messages: readonly RenderedMessage[]): string[] {
  const used = new Set(messages.map((m) => m.messageId));
  return Object.keys(declared).filter((id) => !used.has(id));
}
