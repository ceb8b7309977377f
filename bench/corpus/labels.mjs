// The labels of the real Lambda corpus: what a careful reader of each labelled file says the rules should report
// (per-invocation connections and the calls that reach them in other files, passwords, RDS hostnames, pinning),
// with each repository's commit and the path of its checkout. The labels live in this folder (labels.json); the
// code they describe does not: the checkouts are read from the corpus folder (by default
// ~/.cache/lambda-rds-corpus, else LAMBDA_RDS_CORPUS), `repos/<owner>+<name>` at the listed commit. A labels.json
// in the corpus folder takes precedence (labels being revised).
import { existsSync, readFileSync } from 'node:fs';
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

/** Whether the checkouts are there: at least one labelled repository's folder exists. */
export function corpusPresent(corpus = corpusFolder()) {
  return readLabels(corpus).repos.some((repo) => existsSync(join(corpus, repo.root)));
}
