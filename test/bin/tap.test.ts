import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../helpers/synth';

/**
 * The configuration is validated in bin/ before any construct is built: a bad value ends `cdk synth` with
 * a non-zero exit and a message naming the key, the value and what is allowed.
 */
describe('bin/tap.ts rejects bad configuration with a non-zero exit', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-cli-'));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('through the real CDK CLI (cdk synth -c warmTasks=-1)', () => {
    const result = spawnSync(
      'npx',
      [
        'cdk',
        'synth',
        '--quiet',
        '--no-notices',
        '-o',
        outdir,
        '-c',
        'warmTasks=-1',
        '-c',
        'preOpenTime=9am',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Invalid OrderBroker configuration (profile "dev"):');
    expect(result.stderr).toContain('warmTasks = "-1": expected an integer from 0 to 500');
    expect(result.stderr).toContain(
      'preOpenTime = "9am": expected HH:MM (24-hour, America/New_York), e.g. 09:10',
    );
  });

  test('prod without a certificate stops before synthesis', () => {
    const result = spawnSync('npx', ['tsx', 'bin/tap.ts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ profile: 'prod', certificateArn: '' }),
      },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'certificateArn is not set: required in prod (HTTPS production listener)',
    );
    expect(fs.existsSync(path.join(outdir, 'OrderBroker-prod.template.json'))).toBe(false);
  });
});
