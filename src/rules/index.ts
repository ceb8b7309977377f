import maxPoolSize from './max-pool-size.js';
import noConnectionInHandler from './no-connection-in-handler.js';
import noDirectRdsEndpoint from './no-direct-rds-endpoint.js';
import noHardcodedCredentials from './no-hardcoded-credentials.js';
import noProxyIncompatibleOptions from './no-proxy-incompatible-options.js';
import noSessionPinning from './no-session-pinning.js';
import noStaticIamToken from './no-static-iam-token.js';
import requireClientRelease from './require-client-release.js';
import requireConnectTimeout from './require-connect-timeout.js';
import requireTls from './require-tls.js';

/** The rule map: rule id → rule. Test and doc files must match these names (meta-test). */
export const rules = {
  'max-pool-size': maxPoolSize,
  'no-connection-in-handler': noConnectionInHandler,
  'no-direct-rds-endpoint': noDirectRdsEndpoint,
  'no-hardcoded-credentials': noHardcodedCredentials,
  'no-proxy-incompatible-options': noProxyIncompatibleOptions,
  'no-session-pinning': noSessionPinning,
  'no-static-iam-token': noStaticIamToken,
  'require-client-release': requireClientRelease,
  'require-connect-timeout': requireConnectTimeout,
  'require-tls': requireTls,
};
