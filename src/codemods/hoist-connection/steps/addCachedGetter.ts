import type { Creator } from '../../../core/drivers/catalogue.js';
import { reindent, render, withEol } from '../../shared/style.js';
import { cacheAnnotation, uniqueName, type TransformContext } from '../../shared/context.js';

export interface GetterSpec {
  /** The instance's name inside the getter. */
  readonly name: string;
  /** The creating expression, as written in the file (it may contain `await`), dedented. */
  readonly init: string;
  /** Connect statements moved into the getter, as written in the file, dedented. */
  readonly connects: readonly string[];
  readonly creator: Creator;
  readonly insertAt: number;
  /** The type of the instance in TypeScript files (`InstanceType<typeof Client>`). */
  readonly type?: string | undefined;
}

/**
 * The single-connection pattern: one module-scope promise, created on first use, shared by concurrent callers,
 * and forgotten when creating or connecting fails or when that connection reports `error`/`end`, so the next
 * invocation reconnects. Only the promise of the failing connection is forgotten: late events of a dropped
 * connection must not clear the cache of its replacement.
 *
 *     let clientPromise;
 *     function getClient() {
 *       if (!clientPromise) {
 *         const promise = (async () => {
 *           const client = new Client(config);
 *           const forget = () => {
 *             if (clientPromise === promise) clientPromise = undefined;
 *           };
 *           client.on('error', forget);
 *           client.on('end', forget);
 *           await client.connect();
 *           return client;
 *         })();
 *         promise.catch(() => {
 *           if (clientPromise === promise) clientPromise = undefined;
 *         });
 *         clientPromise = promise;
 *       }
 *       return clientPromise;
 *     }
 *
 * Generated lines follow the file's style; code moved from the file keeps its own text. Returns the getter name.
 */
export function addCachedGetter(ctx: TransformContext, spec: GetterSpec): string {
  const { style } = ctx;
  const annotation = cacheAnnotation(ctx, spec.type && `Promise<${spec.type}>`);
  const cap = spec.name.charAt(0).toUpperCase() + spec.name.slice(1);
  const getter = uniqueName(ctx, ctx.taken.has(`get${cap}`) ? `getShared${cap}` : `get${cap}`);
  const cache = uniqueName(ctx, `${spec.name}Promise`);
  const events = spec.creator.resetEvents ?? [];
  const forget = events.length ? uniqueName(ctx, 'forget') : '';
  const promise = uniqueName(ctx, 'promise');
  const inner = style.indent.repeat(3);
  const body: string[] = [];
  body.push(reindent(`const ${spec.name} = ${spec.init}${style.semi ? ';' : ''}`, inner));
  if (events.length) {
    body.push(reindent(render(`const ${forget} = () => {\n  if (${cache} === ${promise}) ${cache} = undefined;\n};`, style), inner));
    for (const event of events) body.push(reindent(render(`${spec.name}.on('${event}', ${forget});`, style), inner));
  }
  for (const statement of spec.connects) body.push(reindent(statement, inner));
  body.push(reindent(render(`return ${spec.name};`, style), inner));
  const head = render(
    [`let ${cache}${annotation};`, `function ${getter}() {`, `  if (!${cache}) {`, `    const ${promise} = (async () => {`].join('\n'),
    style,
  );
  const tail = render(
    [
      `    })();`,
      `    ${promise}.catch(() => {`,
      `      if (${cache} === ${promise}) ${cache} = undefined;`,
      `    });`,
      `    ${cache} = ${promise};`,
      `  }`,
      `  return ${cache};`,
      `}`,
    ].join('\n'),
    style,
  );
  const code = `${head}\n${body.join('\n')}\n${tail}`;
  ctx.edits.push({ start: spec.insertAt, end: spec.insertAt, text: withEol(`${code}\n\n`, style) });
  return getter;
}
