import { PROFILES } from './profiles';
import type { TapConfig } from './types';

/**
 * Values the embedded `prod` profile carries only as placeholders (the AWS documentation account and an
 * example certificate and host name). A stack built with any of them cannot serve real clients: synth warns,
 * and `npm run stack:deploy` refuses them.
 */
export const PLACEHOLDERS = {
  account: String(PROFILES.prod.account),
  certificateArn: String(PROFILES.prod.certificateArn),
  serviceHostname: String(PROFILES.prod.serviceHostname),
};

/** One placeholder found in a configuration. */
export interface PlaceholderUse {
  readonly key: keyof typeof PLACEHOLDERS;
  readonly value: string;
}

/**
 * The placeholder values `config` still uses (pure). The documentation account also counts inside the
 * certificate ARN, and any `example.com` / `example.org` / `example.net` name counts as a placeholder host.
 */
export function placeholdersIn(config: TapConfig): PlaceholderUse[] {
  const found: PlaceholderUse[] = [];
  if (config.env.account === PLACEHOLDERS.account) found.push({ key: 'account', value: config.env.account });
  const cert = config.loadBalancing.certificateArn;
  if (cert && (cert === PLACEHOLDERS.certificateArn || cert.split(':')[4] === PLACEHOLDERS.account)) {
    found.push({ key: 'certificateArn', value: cert });
  }
  const host = config.loadBalancing.serviceHostname;
  if (host && /(^|\.)example\.(com|org|net)$/i.test(host))
    found.push({ key: 'serviceHostname', value: host });
  return found;
}

/** The one-line message for each placeholder: key, value, and what to pass instead. */
export function describePlaceholder(p: PlaceholderUse): string {
  const instead: Record<PlaceholderUse['key'], string> = {
    account: 'the 12-digit id of the account you deploy to (-c account=...)',
    certificateArn:
      'the ARN of the ACM certificate for the service name in that account (-c certificateArn=...)',
    serviceHostname: 'the DNS name on that certificate that clients use (-c serviceHostname=...)',
  };
  return `${p.key} = ${JSON.stringify(p.value)} is a placeholder; pass ${instead[p.key]}`;
}
