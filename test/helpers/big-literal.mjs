/**
 * Lints a Lambda file that hands one string literal (of adversarial size, usually) to a `pg` pool's config and to a
 * query, with one rule of the plugin and the TypeScript parser. Shared by the rule tests (what is found) and
 * bench/adversarial.mjs (how the time grows with the size). Plain JavaScript so that both can import it; the
 * plugin and parser are passed in (the tests use the sources, the bench the build).
 */
export function lintBigLiteral({ linter, plugin, parser, rule, poolConfig, payload }) {
  const code = `import { Pool } from 'pg';
const big = ${JSON.stringify(payload)};
export const pool = new Pool(${poolConfig});
export const handler = async () => pool.query(big);`;
  return linter.verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser }, plugins: { 'lambda-rds': plugin }, rules: { [`lambda-rds/${rule}`]: 'error' } }],
    'big.ts',
  );
}
