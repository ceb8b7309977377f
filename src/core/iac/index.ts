export * from './catalogue.js';
export * from './model.js';
export * from './stack.js';
export * from './credentials.js';
export type { StackProps } from './props.js';
export { importedName, TypeResolver, type ImportedName } from './types.js';
