export const meta = {
  name: 'hoist-connection',
  description:
    'Moves database clients, pools and ORM instances created per Lambda invocation to module scope (pools) or behind a module-scope cached getter that connects once (single connections).',
  /** The rule whose findings this codemod fixes. */
  rule: 'no-connection-in-handler',
  /** The rule's suggestions it applies. */
  suggestions: ['suggestHoist', 'suggestKeepGlobalPool'],
} as const;
