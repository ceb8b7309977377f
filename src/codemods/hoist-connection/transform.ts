/**
 * `hoist-connection`: fixes what `no-connection-in-handler` reports (see docs/codemods/hoist-connection.md).
 * The shared runner runs the rule, parses the file and verifies the result; this file wires in the steps.
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
  targets: (ctx, lint) => (lint.analysis ? findTargets(ctx, lint.findings, lint.analysis) : []),
  plan: (ctx, target) => planTarget(ctx, target),
});
