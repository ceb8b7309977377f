/**
 * `iam-auth`: applies the fix `no-hardcoded-credentials` suggests for every hard-coded password (RDS IAM tokens
 * from a module-scope `Signer`, fetched in each driver's own way for every new connection, TLS on), and the same
 * fix for passwords read from the environment, which no rule reports. The fix itself is planned in
 * src/core/fix/iam-auth.ts; the shared runner applies it step by step and verifies each step:
 * `no-hardcoded-credentials` must lose the finding, and neither `no-static-iam-token` nor `require-tls` may report
 * more than before. See docs/codemods/iam-auth.md.
 */
import { environmentPasswordGroups, planIamAuth } from '../../core/fix/iam-auth.js';
import { mentionsDatabaseUri, mentionsPasswordKey } from '../../core/config/index.js';
import { mentionsIacModule } from '../../core/iac/catalogue.js';
import { mentionsDatabaseModule } from '../../core/modules.js';
import { createTransformer } from '../shared/runner.js';
import { meta } from './meta.js';

export default createTransformer({
  meta,
  // What the rule may report: driver settings, database settings objects (a configuration module), database URIs,
  // stack code. Findings it cannot fix are listed with the planner's reason.
  prefilter: (text) => mentionsDatabaseModule(text) || mentionsPasswordKey(text) || mentionsDatabaseUri(text) || mentionsIacModule(text),
  skipReason: 'holds no database module, password-like key, database URI or stack',
  verifyRules: ['no-static-iam-token', 'require-tls'],
  extraPlans(lint, filePath, settings) {
    const sourceCode = lint.sourceCode;
    if (!sourceCode) return [];
    const context = { sourceCode, filename: filePath, settings };
    return environmentPasswordGroups(context).map((group) => ({
      line: group.site.loc.start.line,
      outcome: planIamAuth(context, group.configs),
    }));
  },
});
