/**
 * `iam-auth`: replaces the passwords of connection configs (literals, `process.env` reads, env reads with a literal
 * fallback) with RDS IAM authentication tokens from a module-scope `Signer`, fetched in each driver's own way for
 * every new connection, and turns TLS on (see docs/codemods/iam-auth.md). The shared runner runs the rules, parses
 * the file and verifies the result: `no-hardcoded-credentials` must lose what was changed, and neither
 * `no-static-iam-token` nor `require-tls` may report more than before.
 */
import { mentionsDatabaseModule } from '../../core/modules.js';
import { createTransformer } from '../shared/legacy-runner.js';
import { meta } from './meta.js';
import { findTargets } from './steps/findTargets.js';
import { planTarget } from './steps/planTarget.js';

export default createTransformer({
  meta,
  prefilter: mentionsDatabaseModule,
  skipReason: 'imports no database module',
  planWithoutFindings: true,
  verifyRules: ['no-static-iam-token', 'require-tls'],
  targets: (ctx, lint) => findTargets(ctx, lint, {}),
  plan: (ctx, target) => planTarget(ctx, target),
});
