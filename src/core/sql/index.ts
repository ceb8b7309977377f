export * from './lexer.js';
export * from './statements.js';
export * from './findings.js';
export * from './analysis.js';
export * from './source.js';
export * from './static.js';
export * from './sites.js';
export * from './driver-behaviour.js';
export { MYSQL_TRACKED_VARIABLES } from './classify-mysql.js';
