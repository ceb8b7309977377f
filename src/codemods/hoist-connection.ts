/** Entry point for `jscodeshift -t dist/codemods/hoist-connection.js`. */
export { default } from './hoist-connection/transform.js';
export { meta } from './hoist-connection/meta.js';
