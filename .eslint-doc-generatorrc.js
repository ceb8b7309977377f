// Configuration of eslint-doc-generator (`npm run docs`, checked by `npm run docs:check`): the rule doc headers and
// the README rules table are generated from the built plugin's rule `meta` and configs.

/** @type {import('eslint-doc-generator').GenerateOptions} */
const config = {
  configEmoji: [
    ['recommended', '✅'],
    ['strict', '🔒'],
    ['all', '🌐'],
  ],
  pathRuleDoc: 'docs/rules/{name}.md',
  pathRuleList: 'README.md',
  ruleDocTitleFormat: 'desc-parens-prefix-name',
  ruleDocNotices: ['deprecated', 'configs', 'fixableAndHasSuggestions', 'requiresTypeChecking'],
  ruleListColumns: [
    'name',
    'description',
    'configsError',
    'configsWarn',
    'configsOff',
    'fixableAndHasSuggestions',
    'requiresTypeChecking',
    'deprecated',
  ],
  // Every rule doc has the same sections. `## Options` is required even for rules without options (it then says
  // so and describes the shared settings), so the generator's own options-section check is replaced by this list.
  ruleDocSectionInclude: ['Rule details', 'Examples', 'Options', 'When not to use it', 'Further reading'],
  ruleDocSectionOptions: false,
  urlConfigs: 'https://github.com/eslint-plugin-lambda-rds/eslint-plugin-lambda-rds#configs',
};

export default config;
