/**
 * The host's parse of the file being linted, offered to the project knowledge: a file that the project knowledge
 * may read for another file is then not parsed a second time (core/project/parse.ts). Those are a module that
 * names a database module (a helper whose calls the cross-file analysis summarises), a Serverless Framework file in
 * TypeScript or JavaScript, and a CDK stack that may declare Lambda functions. The tests are the per-file text tests
 * the rules make anyway.
 */
import { getSettings, mentionsDatabase } from './analysis.js';
import { mentionsStackModule } from './iac/stack.js';
import { perFile } from './per-file.js';
import { diskPath, isServerlessSource, keepHostParse, mayDeclareFunctions } from './project/index.js';

/** Once per file; every rule's `create` asks it (util/create-rule.ts), so it holds whichever rules are on. */
export const keepParseForProject = perFile((context): void => {
  if (!getSettings(context).project) return;
  const mayBeRead =
    mentionsDatabase(context) ||
    isServerlessSource(context.filename ?? '') ||
    (mentionsStackModule(context) && mayDeclareFunctions(context.sourceCode.text));
  if (!mayBeRead) return;
  const file = diskPath(context);
  if (file) keepHostParse(file, context.sourceCode);
});
