/**
 * RDS hostname classification (domain notes §2): which endpoint a hostname names — a DB instance, an Aurora cluster
 * writer, reader or custom endpoint, a Limitless shard group, a Global Database writer, an RDS Proxy endpoint,
 * Aurora DSQL or the Data API — in every Region form, China (both label orders) and GovCloud included.
 *
 * Every pattern is anchored, has no nested unbounded repetition and runs on one hostname-sized token at a time
 * (`scanHostnames` cuts the text into tokens in one pass), so the cost is linear in the text scanned.
 */

export type EndpointKind =
  /** `<id>.<dns-id>.<region>.rds.amazonaws.com`: an RDS DB instance or one Aurora instance. */
  | 'instance'
  /** `<cluster>.cluster-<dns-id>...`: the Aurora / Multi-AZ cluster (writer) endpoint. */
  | 'cluster-writer'
  /** `<cluster>.cluster-ro-<dns-id>...`: the Aurora reader endpoint. */
  | 'cluster-reader'
  /** `<name>.cluster-custom-<dns-id>...`: an Aurora custom endpoint. */
  | 'cluster-custom'
  /** `<name>.shardgrp-<dns-id>...`: an Aurora Limitless shard group. */
  | 'limitless'
  /** `<name>.global-<id>.global.rds.amazonaws.com`: an Aurora Global Database writer endpoint. */
  | 'global-writer'
  /** `<proxy>.proxy-<dns-id>...`: the default endpoint of an RDS Proxy. */
  | 'proxy'
  /** `<name>.endpoint.proxy-<dns-id>...`: an additional (possibly read-only) RDS Proxy endpoint. */
  | 'proxy-endpoint'
  /** `<cluster>.dsql.<region>.on.aws`: Aurora DSQL (no RDS Proxy exists for it). */
  | 'dsql'
  /** `rds-data[-fips].<region>.amazonaws.com` / `.api.aws`: the RDS Data API (HTTPS, no database connection). */
  | 'data-api';

export interface HostClassification {
  readonly kind: EndpointKind;
  /**
   * A direct database endpoint: an instance, cluster (writer, reader, custom), Limitless shard group or Global
   * Database writer, i.e. something that should be reached through RDS Proxy from Lambda.
   */
  readonly direct: boolean;
  /** The first label(s): instance id, cluster id, endpoint or proxy name (`<name>.endpoint` for proxy endpoints). */
  readonly name: string;
  readonly region: string | undefined;
}

/**
 * `us-east-1`, `us-gov-west-1`, `cn-northwest-1`, `us-isob-east-1`; also the documented `us-east-1-beta`; a region
 * left to an interpolation (`${region}`, a `HOLE`) or written as a placeholder (`xxxx`).
 */
const REGION = '(?:[a-z]{2}(?:-[a-z]+)+-\\d{1,2}(?:-[a-z]+)?|\\uFFFF|x{2,})';
const SUFFIX =
  `(?:(?<r1>${REGION})\\.rds\\.amazonaws\\.com(?:\\.cn)?` + // commercial, GovCloud, "old" China order
  `|rds\\.(?<r2>${REGION})\\.(?:amazonaws\\.com(?:\\.cn)?|c2s\\.ic\\.gov|sc2s\\.sgov\\.gov))`; // China, ISO
const RDS_HOST_SOURCE =
  `^(?<name>[a-z0-9\\uFFFF][a-z0-9\\uFFFF-]*(?:\\.endpoint)?)\\.` +
  `(?<kind>proxy-|cluster-custom-|cluster-ro-|cluster-|shardgrp-)?` +
  `(?<dnsid>[a-z0-9]+)\\.${SUFFIX}\\.?$`;
const GLOBAL_WRITER_SOURCE =
  '^(?<name>[a-z0-9\\uFFFF][a-z0-9\\uFFFF-]*)\\.global-(?<dnsid>[a-z0-9]+)\\.global\\.rds\\.amazonaws\\.com\\.?$';
const RDS_HOST = new RegExp(RDS_HOST_SOURCE, 'i');
const GLOBAL_WRITER = new RegExp(GLOBAL_WRITER_SOURCE, 'i');
/** The same patterns with match indices, for hosts with holes (slower, so used only then). */
const RDS_HOST_INDICES = new RegExp(RDS_HOST_SOURCE, 'id');
const GLOBAL_WRITER_INDICES = new RegExp(GLOBAL_WRITER_SOURCE, 'id');
const DSQL = /^(?<name>[a-z0-9]+)\.dsql(?:-[a-z0-9]+)?\.(?<region>[a-z]{2}(?:-[a-z]+)+-\d{1,2})\.on\.aws\.?$/i;
const DATA_API = /^rds-data(?:-fips)?\.(?<region>[a-z]{2}(?:-[a-z]+)+-\d{1,2})\.(?:amazonaws\.com(?:\.cn)?|api\.aws)\.?$/i;

/** The RDS certificate trust store (`truststore.pki.<region>.rds.amazonaws.com`) is not a database. */
const TRUST_STORE = /^truststore\.pki\./i;

/** Longest hostname DNS allows (253) plus a trailing dot. */
const MAX_HOST_LENGTH = 254;

const KIND_BY_PREFIX: Record<string, EndpointKind> = {
  'proxy-': 'proxy',
  'cluster-': 'cluster-writer',
  'cluster-ro-': 'cluster-reader',
  'cluster-custom-': 'cluster-custom',
  'shardgrp-': 'limitless',
};

/** The character that stands for an unknown part (a `${}` hole) in texts built from templates. */
export const HOLE = '\uFFFF';

/**
 * Classifies a hostname (no scheme, port or path), case-insensitively and with an optional trailing dot.
 * Returns `undefined` for anything that is not a recognised AWS database endpoint: IP addresses, custom DNS names
 * (CNAMEs), lookalikes such as `…rds.amazonaws.com.evil.example`.
 *
 * `HOLE` characters (unknown parts of a template) are accepted only inside the first label(s), the name, and as the
 * region, so that `` `${id}.cluster-abc.us-east-1.rds.amazonaws.com` `` is still known to be a cluster endpoint and
 * `` `ledger.abc123.${region}.rds.amazonaws.com` `` an instance endpoint.
 */
export function classifyHost(host: string): HostClassification | undefined {
  if (host.length === 0 || host.length > MAX_HOST_LENGTH) return undefined;
  const hasHole = host.includes(HOLE);
  if (!hasHole) {
    const dsql = DSQL.exec(host);
    if (dsql) return { kind: 'dsql', direct: false, name: dsql.groups!.name!, region: dsql.groups!.region };
    const dataApi = DATA_API.exec(host);
    if (dataApi) return { kind: 'data-api', direct: false, name: 'rds-data', region: dataApi.groups!.region };
  }
  if (TRUST_STORE.test(host)) return undefined;

  const rds = (hasHole ? RDS_HOST_INDICES : RDS_HOST).exec(host);
  if (rds) {
    const spans = rds.indices?.groups;
    if (hasHole && !holesOnlyIn(host, [spans!.name!, spans!.r1 ?? spans!.r2!])) return undefined;
    const groups = rds.groups!;
    const name = groups.name!;
    const prefix = groups.kind?.toLowerCase();
    let kind: EndpointKind = prefix ? KIND_BY_PREFIX[prefix]! : 'instance';
    const endpointLabel = /\.endpoint$/i.test(name);
    if (kind === 'proxy' && endpointLabel) kind = 'proxy-endpoint';
    // `.endpoint` names exist only for proxies; anything else with it is not a documented format.
    else if (endpointLabel) return undefined;
    const direct = kind !== 'proxy' && kind !== 'proxy-endpoint';
    return { kind, direct, name, region: groups.r1 ?? groups.r2 };
  }
  const global = (hasHole ? GLOBAL_WRITER_INDICES : GLOBAL_WRITER).exec(host);
  if (global) {
    if (hasHole && !holesOnlyIn(host, [global.indices!.groups!.name!])) return undefined;
    return { kind: 'global-writer', direct: true, name: global.groups!.name!, region: undefined };
  }
  return undefined;
}

/**
 * Whether a host names the machine the code runs on: `localhost` (or a name under it), an IPv4 loopback address
 * (127.0.0.0/8), `::1` or `0.0.0.0`: a database for local development or tests, never RDS.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(name) || name === '::1' || name === '0.0.0.0';
}

/** Whether every `HOLE` of the host lies in one of the given ranges (the name, the region). */
function holesOnlyIn(host: string, ranges: ReadonlyArray<[number, number] | undefined>): boolean {
  for (let i = host.indexOf(HOLE); i >= 0; i = host.indexOf(HOLE, i + 1)) {
    if (!ranges.some((r) => r !== undefined && i >= r[0] && i < r[1])) return false;
  }
  return true;
}

/** Whether a classified endpoint belongs to RDS Proxy. */
export function isProxyEndpoint(host: HostClassification | undefined): boolean {
  return host?.kind === 'proxy' || host?.kind === 'proxy-endpoint';
}

export interface HostnameHit {
  /** Offsets of the hostname in the scanned text. */
  readonly start: number;
  readonly end: number;
  /** The hostname as written (may contain `HOLE`). */
  readonly host: string;
  readonly classification: HostClassification;
}

/** A cheap test on raw text: can it contain an RDS / Aurora hostname at all? */
export function mayContainRdsHostname(text: string): boolean {
  return RDS_HINT.test(text);
}
const RDS_HINT = /rds\.(?:amazonaws\.com|[a-z]{2}-[a-z-]+\d\.(?:amazonaws\.com|c2s\.ic\.gov|sc2s\.sgov\.gov))/i;

function isHostChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 45 || // -
    code === 46 || // .
    code === 0xffff // HOLE
  );
}

/**
 * Every AWS database hostname in a text (a string literal's value, a URI, a template with holes): the text is cut
 * into maximal runs of hostname characters in one pass and each run that mentions an AWS suffix is classified.
 * Linear in the length of the text.
 */
export function scanHostnames(text: string): HostnameHit[] {
  const hits: HostnameHit[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    if (!isHostChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < length && isHostChar(text.charCodeAt(i))) i++;
    const end = i;
    if (end - start > MAX_HOST_LENGTH || end - start < 10) continue;
    const run = text.slice(start, end);
    if (!/amazonaws\.com|\.gov\.?$|\.on\.aws\.?$|\.api\.aws\.?$/i.test(run)) continue;
    const classification = classifyHost(run);
    if (classification) hits.push({ start, end, host: run, classification });
  }
  return hits;
}

/** How messages name each endpoint kind, with its article. */
export const ENDPOINT_DESCRIPTIONS: Readonly<Record<EndpointKind, string>> = {
  instance: 'a DB instance endpoint',
  'cluster-writer': 'an Aurora cluster endpoint',
  'cluster-reader': 'an Aurora reader endpoint',
  'cluster-custom': 'an Aurora custom endpoint',
  limitless: 'an Aurora Limitless endpoint',
  'global-writer': 'an Aurora global writer endpoint',
  proxy: 'an RDS Proxy endpoint',
  'proxy-endpoint': 'an additional RDS Proxy endpoint',
  dsql: 'an Aurora DSQL endpoint',
  'data-api': 'the RDS Data API endpoint',
};
