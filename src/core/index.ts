export * from './drivers/catalogue.js';
export * from './modules.js';
export * from './analysis.js';
export * from './settings.js';
export * from './lambda/handlers.js';
export * from './lambda/invocation.js';
export * as ast from './ast/index.js';
