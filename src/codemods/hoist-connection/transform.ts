/**
 * `hoist-connection`: applies the fix `no-connection-in-handler` suggests for every connection, pool or client
 * created per Lambda invocation (see docs/codemods/hoist-connection.md). The fix itself is planned in
 * src/core/fix/hoist/; the shared runner lints, applies the suggestions one finding at a time and verifies each step.
 */
import { mayConnectImportedClient, mentionsDatabaseModule } from '../../core/modules.js';
import { createTransformer } from '../shared/runner.js';
import { meta } from './meta.js';

export default createTransformer({
  meta,
  // A file that names no driver can still connect a client another module creates (`AppDataSource.initialize()`).
  prefilter: (text) => mentionsDatabaseModule(text) || mayConnectImportedClient(text),
  skipReason: 'imports no database module and connects no client of another module',
});
