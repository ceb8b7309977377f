export * from './nodes.js';
export * from './walk.js';
export * from './scope.js';
