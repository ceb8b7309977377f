import { describe, expect, it } from 'vitest';
import { HOLE } from '../../../src/core/config/hosts.js';
import { findDatabaseUris, parseConnectionString, uriParam, type ParsedUri } from '../../../src/core/config/uri.js';

/** The components of a parsed URI as plain text, for readable assertions. */
function parts(uri: ParsedUri | undefined) {
  if (!uri) return undefined;
  return {
    format: uri.format,
    scheme: uri.scheme,
    user: uri.user?.text,
    password: uri.password?.text,
    hosts: uri.hosts.map((h) => (h.port ? `${h.host.text}:${h.port.text}` : h.host.text)),
    database: uri.database?.text,
    params: Object.fromEntries(uri.params.map((p) => [p.name, p.value.text])),
  };
}

describe('parseConnectionString', () => {
  it('parses a PostgreSQL URI', () => {
    expect(parts(parseConnectionString('postgres://app:s3cr%40t@db.example.com:5432/orders?sslmode=verify-full&application_name=api'))).toEqual({
      format: 'url',
      scheme: 'postgres',
      user: 'app',
      password: 's3cr%40t',
      hosts: ['db.example.com:5432'],
      database: 'orders',
      params: { sslmode: 'verify-full', application_name: 'api' },
    });
  });

  it('keeps offsets of every component', () => {
    const text = 'mysql://root:pw@h:3306/db?ssl=false';
    const uri = parseConnectionString(text)!;
    for (const span of [uri.user!, uri.password!, uri.hosts[0]!.host, uri.hosts[0]!.port!, uri.database!]) {
      expect(text.slice(span.start, span.end)).toBe(span.text);
    }
    const ssl = uriParam(uri, 'ssl')!;
    expect(text.slice(ssl.span.start, ssl.span.end)).toBe('ssl=false');
  });

  it.each([
    ['postgresql://u:p@h/db', 'postgresql', 'p'],
    ['mysql://u:p@h/db', 'mysql', 'p'],
    ['mariadb://u:p@h/db', 'mariadb', 'p'],
    ['mssql://u:p@h/db', 'mssql', 'p'],
    ['postgresql+asyncpg://u:p@h/db', 'postgresql', 'p'],
    ['jdbc:postgresql://h:5432/db?user=u&password=p', 'postgresql', 'p'],
    ['  postgres://u:p@h/db', 'postgres', 'p'],
  ])('%s', (text, scheme, password) => {
    const uri = parseConnectionString(text)!;
    expect(uri.scheme).toBe(scheme);
    expect(uri.password?.text).toBe(password);
  });

  it('takes the last @ of the authority (an unencoded @ in the password)', () => {
    expect(parts(parseConnectionString('postgres://u:p@ss@h/db'))?.password).toBe('p@ss');
  });

  it('parses users without password, several hosts, IPv6 and host parameters', () => {
    expect(parts(parseConnectionString('postgres://u@h1:5432,h2:5433/db'))).toMatchObject({
      user: 'u',
      password: undefined,
      hosts: ['h1:5432', 'h2:5433'],
    });
    expect(parts(parseConnectionString('postgres://[::1]:5432/db'))?.hosts).toEqual(['::1:5432']);
    expect(parts(parseConnectionString('postgres:///db?host=/var/run/postgresql'))?.hosts).toEqual(['/var/run/postgresql']);
  });

  it('parses the SQL Server URL form', () => {
    expect(parts(parseConnectionString('sqlserver://db.example.com:1433;database=app;user=sa;password=pw;encrypt=true'))).toEqual({
      format: 'url',
      scheme: 'sqlserver',
      user: 'sa',
      password: 'pw',
      hosts: ['db.example.com:1433'],
      database: 'app',
      params: { database: 'app', user: 'sa', password: 'pw', encrypt: 'true' },
    });
  });

  it('parses ADO.NET connection strings', () => {
    expect(parts(parseConnectionString('Server=tcp:db.example.com,1433;Initial Catalog=app;User Id=sa;Password={p;w};Encrypt=false'))).toEqual({
      format: 'ado',
      scheme: undefined,
      user: 'sa',
      password: 'p;w',
      hosts: ['db.example.com:1433'],
      database: 'app',
      params: { server: 'tcp:db.example.com,1433', 'initial catalog': 'app', 'user id': 'sa', password: 'p;w', encrypt: 'false' },
    });
    expect(parts(parseConnectionString('Data Source=h\\SQLEXPRESS;PWD=x'))?.hosts).toEqual(['h']);
  });

  it('returns undefined for strings that are not connection strings', () => {
    expect(parseConnectionString('db.example.com')).toBeUndefined();
    expect(parseConnectionString('a=b;c=d')).toBeUndefined();
    expect(parseConnectionString('')).toBeUndefined();
  });

  it('marks unknown parts with holes', () => {
    const uri = parseConnectionString(`postgres://${HOLE}:${HOLE}@db.example.com/${HOLE}`)!;
    expect(uri.user?.text).toBe(HOLE);
    expect(uri.password?.text).toBe(HOLE);
    expect(uri.hosts[0]?.host.text).toBe('db.example.com');
  });
});

describe('findDatabaseUris', () => {
  it('finds database URIs in free text, with their offsets', () => {
    const text = 'see https://example.com or "postgres://a:b@h/db" then mysql://root@h2 and redis://x:y@h3';
    const uris = findDatabaseUris(text);
    expect(uris.map((u) => text.slice(u.start, u.end))).toEqual(['postgres://a:b@h/db', 'mysql://root@h2']);
    expect(uris[0]!.password?.text).toBe('b');
    expect(uris[1]!.password).toBeUndefined();
  });

  it('finds jdbc URIs', () => {
    expect(findDatabaseUris('url=jdbc:mysql://u:p@h/db').map((u) => u.password?.text)).toEqual(['p']);
  });

  // Linear time on these inputs is checked by `npm run bench` (bench/adversarial.mjs): a ratio, not a time limit.
  it('reads a megabyte of adversarial input to the end', () => {
    const inputs = [
      'postgres://'.repeat(100_000),
      `postgres://${'a'.repeat(1_000_000)}`,
      `postgres://a:${'@'.repeat(1_000_000)}`,
      `postgres://h/db?${'host=a&'.repeat(150_000)}`,
      'x://'.repeat(250_000),
      `${'postgres'.repeat(120_000)}://`,
      `Server=${'a;'.repeat(500_000)}`,
    ];
    for (const input of inputs) {
      expect(findDatabaseUris(input)).toEqual(expect.any(Array));
      expect(() => parseConnectionString(input)).not.toThrow();
    }
  });
});
