export interface LoadArea {
  readonly dir: string;
  /** Loads `text` as `name` of the given module kind: `loaded`, `error: <name>: <message>`, or `pending`. */
  load(name: string, text: string, kind: 'module' | 'commonjs'): string;
  remove(): void;
}

export function createLoadArea(): LoadArea;
