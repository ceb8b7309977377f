import { describe, expect, it } from 'vitest';
import { HOLE, classifyHost, isLoopbackHost, isProxyEndpoint, mayContainRdsHostname, scanHostnames } from '../../../src/core/config/hosts.js';

/** Every documented example of the endpoint formats (domain notes §2.1), with the kind it must get. */
const documented: Array<[string, string, boolean]> = [
  // DB instance / Aurora instance
  ['mydbinstance.123456789012.us-east-1.rds.amazonaws.com', 'instance', true],
  ['instance-9814.demo.us-east-1.rds.amazonaws.com', 'instance', true],
  // Cluster (writer)
  ['mydbcluster.cluster-123456789012.us-east-1.rds.amazonaws.com', 'cluster-writer', true],
  ['myauroracluster.cluster-c9bfei4hjlrd.us-east-1-beta.rds.amazonaws.com', 'cluster-writer', true],
  // Reader
  ['mydbcluster.cluster-ro-123456789012.us-east-1.rds.amazonaws.com', 'cluster-reader', true],
  // Custom
  ['myendpoint.cluster-custom-123456789012.us-east-1.rds.amazonaws.com', 'cluster-custom', true],
  ['big-instances.cluster-custom-123456789012.ca-central-1.rds.amazonaws.com', 'cluster-custom', true],
  // RDS Proxy default and additional endpoints
  ['the-proxy.proxy-demo.us-east-1.rds.amazonaws.com', 'proxy', false],
  ['reader-demo.endpoint.proxy-demo.us-east-1.rds.amazonaws.com', 'proxy-endpoint', false],
  ['endpoint-demo-reader.endpoint.proxy-demo.us-east-1.rds.amazonaws.com', 'proxy-endpoint', false],
  ['proxyEndpoint1.endpoint.proxy-ab0cd1efghij.us-east-1.rds.amazonaws.com', 'proxy-endpoint', false],
  // Limitless, Global Database writer
  ['database-test-name.shardgrp-XYZ.us-east-2.rds.amazonaws.com', 'limitless', true],
  ['my-gdb.global-abc123.global.rds.amazonaws.com', 'global-writer', true],
  // China: both label orders
  ['test-postgres.cluster-123456789012.rds.cn-northwest-1.amazonaws.com.cn', 'cluster-writer', true],
  ['offlinecentre.cigru3mivzpd.rds.cn-north-1.amazonaws.com.cn', 'instance', true],
  ['wenjigua-mysql8.c6slmrzd0jdl.rds.cn-north-1.amazonaws.com.cn', 'instance', true],
  ['test-postgres.cluster-123456789012.cn-northwest-1.rds.amazonaws.com.cn', 'cluster-writer', true],
  ['the-proxy.proxy-abc.rds.cn-north-1.amazonaws.com.cn', 'proxy', false],
  // GovCloud (commercial order and the wrapper's `rds.<region>` order)
  ['mydb.abcdefghijkl.us-gov-west-1.rds.amazonaws.com', 'instance', true],
  ['mydb.cluster-ro-abcdefghijkl.rds.us-gov-east-1.amazonaws.com', 'cluster-reader', true],
  // ISO regions (UNCONFIRMED formats, accepted as the AWS wrapper does)
  ['proxy-test-name.proxy-XYZ.rds.us-iso-east-1.c2s.ic.gov', 'proxy', false],
  ['db.cluster-XYZ.rds.us-isob-east-1.sc2s.sgov.gov', 'cluster-writer', true],
  // Mixed case and a trailing dot
  ['MyDb.Cluster-ABC123.US-EAST-1.RDS.AMAZONAWS.COM.', 'cluster-writer', true],
  ['proxyEndpoint1.endpoint.proxy-ab0cd1efghij.us-east-1.rds.amazonaws.com.', 'proxy-endpoint', false],
  // Not RDS, no proxy: Aurora DSQL and the Data API
  ['abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws', 'dsql', false],
  ['rds-data.us-east-1.amazonaws.com', 'data-api', false],
  ['rds-data-fips.us-gov-west-1.amazonaws.com', 'data-api', false],
  ['rds-data.us-east-1.api.aws', 'data-api', false],
];

describe('classifyHost', () => {
  it.each(documented)('%s is %s', (host, kind, direct) => {
    const result = classifyHost(host);
    expect(result?.kind).toBe(kind);
    expect(result?.direct).toBe(direct);
  });

  it('knows the proxy endpoints', () => {
    expect(isProxyEndpoint(classifyHost('the-proxy.proxy-demo.us-east-1.rds.amazonaws.com'))).toBe(true);
    expect(isProxyEndpoint(classifyHost('reader-demo.endpoint.proxy-demo.us-east-1.rds.amazonaws.com'))).toBe(true);
    expect(isProxyEndpoint(classifyHost('mydbcluster.cluster-123456789012.us-east-1.rds.amazonaws.com'))).toBe(false);
    expect(isProxyEndpoint(undefined)).toBe(false);
  });

  it('returns the name and region', () => {
    expect(classifyHost('mydbcluster.cluster-ro-123456789012.eu-west-3.rds.amazonaws.com')).toEqual({
      kind: 'cluster-reader',
      direct: true,
      name: 'mydbcluster',
      region: 'eu-west-3',
    });
    expect(classifyHost('x.cluster-abc.rds.cn-north-1.amazonaws.com.cn')?.region).toBe('cn-north-1');
  });

  it.each([
    'mydbinstance.123456789012.us-east-1.rds.amazonaws.com.evil.example',
    'rds.amazonaws.com',
    'mydb.rds.amazonaws.com',
    'us-east-1.rds.amazonaws.com',
    'mydb.abc.us-east-1.rds.amazonaws.co',
    'mydb.abc.useast1.rds.amazonaws.com',
    'truststore.pki.rds.amazonaws.com',
    'truststore.pki.us-gov-west-1.rds.amazonaws.com',
    'rds.us-east-1.amazonaws.com',
    'db.example.com',
    'localhost',
    '10.0.0.12',
    'mydb.cluster-abc.us-east-1.rds.amazonaws.com:5432',
    'my_db.abc.us-east-1.rds.amazonaws.com',
    'mydb.endpoint.cluster-abc.us-east-1.rds.amazonaws.com',
    '',
  ])('does not take %j for a database endpoint', (host) => {
    expect(classifyHost(host)).toBeUndefined();
  });

  it('rejects names longer than DNS allows', () => {
    expect(classifyHost(`${'a'.repeat(300)}.cluster-abc.us-east-1.rds.amazonaws.com`)).toBeUndefined();
  });

  it('accepts template holes in the name and as the Region', () => {
    expect(classifyHost(`${HOLE}.cluster-abc.us-east-1.rds.amazonaws.com`)?.kind).toBe('cluster-writer');
    expect(classifyHost(`app-${HOLE}.abc.us-east-1.rds.amazonaws.com`)?.kind).toBe('instance');
    // `ledger-replica.abc123.${region}.rds.amazonaws.com`: the kind is written, only the Region is left open.
    expect(classifyHost(`ledger-replica.abc123.${HOLE}.rds.amazonaws.com`)?.kind).toBe('instance');
    expect(classifyHost(`mydb.cluster-abc.${HOLE}.rds.amazonaws.com`)?.kind).toBe('cluster-writer');
    expect(classifyHost(`mydb.proxy-abc.${HOLE}.rds.amazonaws.com`)?.kind).toBe('proxy');
    // The kind being unknown: it could be a proxy.
    expect(classifyHost(`mydb.${HOLE}abc.us-east-1.rds.amazonaws.com`)).toBeUndefined();
    expect(classifyHost(`mydb.${HOLE}.us-east-1.rds.amazonaws.com`)).toBeUndefined();
  });

  it('reads a placeholder Region (`xxxx`) as a Region', () => {
    expect(classifyHost('xxxx.xxxx.xxxx.rds.amazonaws.com')?.kind).toBe('instance');
    expect(classifyHost('mydb.cluster-xxxx.xxxx.rds.amazonaws.com')?.kind).toBe('cluster-writer');
    expect(classifyHost('mydb.abc.region.rds.amazonaws.com')).toBeUndefined();
  });
});

describe('scanHostnames', () => {
  it('finds hostnames inside URIs, connection strings and prose', () => {
    const text =
      'postgres://u:p@mydb.cluster-abc.us-east-1.rds.amazonaws.com:5432/db and Server=tcp:x.abc.eu-west-1.rds.amazonaws.com,1433; via the-proxy.proxy-abc.us-east-1.rds.amazonaws.com.';
    const hits = scanHostnames(text);
    expect(hits.map((h) => [h.host, h.classification.kind])).toEqual([
      ['mydb.cluster-abc.us-east-1.rds.amazonaws.com', 'cluster-writer'],
      ['x.abc.eu-west-1.rds.amazonaws.com', 'instance'],
      ['the-proxy.proxy-abc.us-east-1.rds.amazonaws.com.', 'proxy'],
    ]);
    for (const hit of hits) expect(text.slice(hit.start, hit.end)).toBe(hit.host);
  });

  it('ignores lookalikes and the trust store', () => {
    expect(scanHostnames('https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem')).toEqual([]);
    expect(scanHostnames('mydb.abc.us-east-1.rds.amazonaws.com.evil.example')).toEqual([]);
  });

  // Linear time on these inputs is checked by `npm run bench` (bench/adversarial.mjs): a ratio, not a time limit.
  it('scans a megabyte of adversarial hostname characters to the end', () => {
    const inputs = [
      '.rds.amazonaws.com'.repeat(60_000),
      `${'a-'.repeat(500_000)}.rds.amazonaws.com`,
      'a.b.us-east-1.rds.amazonaws.com '.repeat(30_000),
      'us-east-east-east-'.repeat(60_000),
    ];
    for (const input of inputs) {
      expect(scanHostnames(input)).toEqual(expect.any(Array));
      expect(typeof mayContainRdsHostname(input)).toBe('boolean');
    }
  });
});

describe('mayContainRdsHostname', () => {
  it.each([
    ['mydb.abc.us-east-1.rds.amazonaws.com', true],
    ['x.abc.rds.cn-north-1.amazonaws.com.cn', true],
    ['X.ABC.RDS.CN-NORTH-1.AMAZONAWS.COM.CN', true],
    ['p.proxy-x.rds.us-iso-east-1.c2s.ic.gov', true],
    ['https://example.com', false],
    ['s3.amazonaws.com', false],
  ])('%s → %s', (text, expected) => {
    expect(mayContainRdsHostname(text)).toBe(expected);
  });
});

describe('isLoopbackHost', () => {
  it('is true for the names and addresses of the machine itself', () => {
    for (const host of ['localhost', 'LOCALHOST', 'db.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0.0.0.0']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('is false for other hosts, including RDS endpoints and names that only contain the words', () => {
    for (const host of ['db.example.com', 'localhost.example.com', 'mylocalhost', '10.0.0.1', '128.0.0.1', '127.0.0.1.nip.io', 'orders.cluster-abc123.eu-west-1.rds.amazonaws.com', '']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});
