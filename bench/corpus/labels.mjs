// The labels of the real Lambda corpus: what a careful reader of each labelled file says the rules should report
// (per-invocation connections and the calls that reach them in other files, passwords, RDS hostnames, pinning),
// with each repository's commit and the path of its checkout. The labels live in this folder (labels.json); the
// code they describe does not: the checkouts are read from the corpus folder (by default
// ~/.cache/lambda-rds-corpus, else LAMBDA_RDS_CORPUS), `repos/<owner>+<name>` at the listed commit. A labels.json
// in the corpus folder takes precedence (labels being revised).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const COMMITTED_LABELS = fileURLToPath(new URL('labels.json', import.meta.url));

/** The corpus folder: LAMBDA_RDS_CORPUS, else ~/.cache/lambda-rds-corpus. */
export function corpusFolder() {
  return process.env.LAMBDA_RDS_CORPUS || join(homedir(), '.cache', 'lambda-rds-corpus');
}

/** The labels file for the corpus folder `corpus`. */
export function labelsPath(corpus = corpusFolder()) {
  const local = join(corpus, 'labels.json');
  return existsSync(local) ? local : COMMITTED_LABELS;
}

export function readLabels(corpus = corpusFolder()) {
  return JSON.parse(readFileSync(labelsPath(corpus), 'utf8'));
}

/**
 * Makes each checkout look like the clone a user lints: a `.git` entry at its root (checkouts extracted from a
 * snapshot have none). The plugin takes the nearest `.git` as a project's root; without one, it looks further up
 * for the highest folder with a package.json, which in this corpus folder is not where a real clone would stop.
 */
export function prepareCheckouts(corpus = corpusFolder()) {
  for (const repo of readLabels(corpus).repos) {
    const root = join(corpus, repo.root);
    if (existsSync(root) && !existsSync(join(root, '.git'))) mkdirSync(join(root, '.git'));
  }
}

/** Whether the checkouts are there: at least one labelled repository's folder exists. */
export function corpusPresent(corpus = corpusFolder()) {
  return readLabels(corpus).repos.some((repo) => existsSync(join(corpus, repo.root)));
}
