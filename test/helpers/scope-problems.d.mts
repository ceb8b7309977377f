export function scopeProblems(text: string, file: string, kind: 'module' | 'commonjs'): string[];
export function addedProblems(before: readonly string[], after: readonly string[]): string[];
