// The per-file analysis the plugin's rules share, as a rule of its own for ESLint's `stats`.
//
// The rules compute what they share once per file (driver instances, Lambda handlers, connection configs, the host's
// parse offered to the project knowledge) and the first rule to ask pays for it: with every rule on, which one that
// is depends on the order of the config and on each rule's own early exits, not on what the rule does. The bench's
// `stats` passes put this rule first, so that it asks for those shared parts the way the rules do (for every file
// that may configure a connection, as `require-connect-timeout` and `no-static-iam-token` do in `create()`), and
// report it on a row of its own, held to the same budget as a rule. What a single rule computes on demand (the
// invocation graph, the cross-file analysis, fix plans) stays with that rule.
import { getFileAnalysis } from '../dist/core/analysis.js';
import { keepParseForProject } from '../dist/core/host-parse.js';
import { getConnectionConfigs, mayConfigureConnections } from '../dist/core/config/resolve.js';

export const SHARED_RULE_ID = 'lambda-rds-bench/shared-analysis';

const sharedAnalysis = {
  meta: { type: 'problem', schema: [], docs: { description: 'The per-file analysis the plugin rules share' } },
  create(context) {
    keepParseForProject(context);
    if (mayConfigureConnections(context)) {
      const analysis = getFileAnalysis(context);
      if (analysis) void analysis.isLambda;
      getConnectionConfigs(context);
    }
    return {};
  },
};

/** A config object with the shared-analysis rule, to put before the plugin's rules. */
const sharedAnalysisConfig = (files) => ({
  files,
  plugins: { 'lambda-rds-bench': { rules: { 'shared-analysis': sharedAnalysis } } },
  rules: { [SHARED_RULE_ID]: 'error' },
});

/**
 * The config of a `stats` pass: `baseline`, then the shared analysis, then every rule of `plugin` (`configs.all`),
 * all on `files`; and the ids whose times the pass reports, the shared analysis first.
 */
export function statsConfig(baseline, plugin, files) {
  return {
    config: [...baseline, sharedAnalysisConfig(files), { ...plugin.configs.all, files }],
    ids: [SHARED_RULE_ID, ...Object.keys(plugin.configs.all.rules ?? {})],
  };
}

/** A row's name in the bench's tables: the rule id as code, or the shared analysis in words. */
export function statsLabel(id) {
  return id === SHARED_RULE_ID ? 'The shared per-file analysis' : `\`${id}\``;
}
