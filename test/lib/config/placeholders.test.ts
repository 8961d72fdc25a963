import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { PLACEHOLDERS, placeholdersIn } from '../../../lib/config/placeholders';
import { PROFILES } from '../../../lib/config/profiles';
import { buildApp } from '../../helpers/synth';

const REAL = {
  account: '210987654321',
  certificateArn: 'arn:aws:acm:us-east-2:210987654321:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  serviceHostname: 'orderbroker.trading.acme-markets.com',
};

test('the placeholders are the prod profile documentation account, example certificate and host', () => {
  expect(PLACEHOLDERS).toEqual({
    account: '123456789012',
    certificateArn: PROFILES.prod.certificateArn,
    serviceHostname: 'orderbroker.trading.example.com',
  });
  expect(PLACEHOLDERS.certificateArn).toMatch(/^arn:aws:acm:us-east-2:123456789012:certificate\//);
});

test('synth of prod as shipped warns on the stack about each placeholder, naming key and value', () => {
  const { stack, config } = buildApp({ profile: 'prod' });
  expect(placeholdersIn(config).map((p) => p.key)).toEqual(['account', 'certificateArn', 'serviceHostname']);
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('^PLACEHOLDER: '));
  expect(warnings.map((w) => (w.entry.data as string).split(' is a placeholder')[0])).toEqual([
    'PLACEHOLDER: account = "123456789012"',
    `PLACEHOLDER: certificateArn = "${PLACEHOLDERS.certificateArn}"`,
    'PLACEHOLDER: serviceHostname = "orderbroker.trading.example.com"',
  ]);
});

test('synth of prod with real values does not warn', () => {
  const { stack, config } = buildApp({ profile: 'prod', ...REAL });
  expect(placeholdersIn(config)).toEqual([]);
  expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('^PLACEHOLDER'))).toEqual([]);
});

test('any example.com name counts as a placeholder; a documentation-account certificate with a real account is refused outright', () => {
  const { config } = buildApp({ profile: 'prod', ...REAL, serviceHostname: 'api.example.org' });
  expect(placeholdersIn(config).map((p) => p.key)).toEqual(['serviceHostname']);
  expect(() =>
    buildApp({
      profile: 'prod',
      ...REAL,
      certificateArn: 'arn:aws:acm:us-east-2:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    }),
  ).toThrow('is in account 123456789012, not in account 210987654321');
});
