/** Invocation events as Lambda delivers them. */
import { randomUUID } from 'node:crypto';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `01/Jan/2025:12:00:00 +0000`, as in `requestContext.time`. */
function apiGatewayTime(time: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(time.getUTCDate())}/${MONTHS[time.getUTCMonth()]}/${time.getUTCFullYear()}:${two(time.getUTCHours())}:${two(
    time.getUTCMinutes(),
  )}:${two(time.getUTCSeconds())} +0000`;
}

/** An API Gateway HTTP API (payload format 2.0) request, e.g. `GET /customers/{customerId}/orders/summary`. */
export function httpApiEvent(
  method: string,
  route: string,
  pathParameters: Record<string, string>,
  time = new Date('2025-01-01T12:00:00Z'),
) {
  const rawPath = route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParameters[name] ?? ''));
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: `${method} ${route}`,
    rawPath,
    rawQueryString: '',
    headers: {
      accept: 'application/json',
      host: 'abc123def4.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-amzn-trace-id': `Root=1-${Math.floor(time.getTime() / 1000).toString(16)}-${requestId.replaceAll('-', '').slice(0, 24)}`,
      'x-forwarded-for': '203.0.113.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123def4',
      domainName: 'abc123def4.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123def4',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'curl/8.5.0' },
      requestId,
      routeKey: `${method} ${route}`,
      stage: '$default',
      time: apiGatewayTime(time),
      timeEpoch: time.getTime(),
    },
    pathParameters,
    isBase64Encoded: false,
  };
}
