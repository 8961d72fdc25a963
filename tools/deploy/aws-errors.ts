/** Why an AWS call failed, as far as the tooling must tell the SRE. */
export type AwsFailureKind = 'credentials' | 'network' | 'access' | 'not-found' | 'throttled' | 'other';

/** How to supply credentials; printed with every credentials failure. */
export const CREDENTIALS_HINT =
  'supply credentials for the target account: `aws sso login --profile <name>` then run again with ' +
  'AWS_PROFILE=<name>, or export AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN';

const CREDENTIAL_NAMES = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
]);
const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const ACCESS_NAMES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);
const THROTTLE_NAMES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/** What kind of failure `err` is (an AWS SDK v3 error, a Node network error, or anything else). */
export function awsFailureKind(err: unknown): AwsFailureKind {
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; $metadata?: unknown };
  const name = e.name ?? '';
  if (
    CREDENTIAL_NAMES.has(name) ||
    /could not load credentials|security token .* (invalid|expired)/i.test(e.message ?? '')
  )
    return 'credentials';
  if (NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(name) || name === 'TimeoutError') return 'network';
  if (ACCESS_NAMES.has(name)) return 'access';
  if (THROTTLE_NAMES.has(name)) return 'throttled';
  if (/NotFound|does not exist/i.test(name) || /does not exist|not found/i.test(e.message ?? ''))
    return 'not-found';
  return 'other';
}

/**
 * One line saying what failed while doing `action`, for the SRE: the AWS message, never an SDK class name,
 * and a hint for credentials and network failures.
 */
export function describeAwsFailure(action: string, err: unknown): string {
  const kind = awsFailureKind(err);
  const raw = String((err as { message?: string } | undefined)?.message ?? err).trim();
  // The SDK's own credential message names its provider chain; the SRE needs the fix, not the chain.
  switch (kind) {
    case 'credentials':
      return `${action}: no valid AWS credentials (missing or expired); ${CREDENTIALS_HINT}`;
    case 'network':
      return `${action}: cannot reach AWS (${(err as { code?: string }).code ?? 'timeout'}); check the network, proxy (HTTPS_PROXY) or VPN and run again`;
    case 'access':
      return `${action}: access denied: ${raw}; use a role allowed to deploy OrderBroker`;
    case 'throttled':
      return `${action}: AWS throttled the request; wait a minute and run again`;
    default:
      return `${action}: ${raw}`;
  }
}
