import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { deployMain } from '../../../scripts/deploy';
import { followDeployment, startDeployment } from '../../../tools/deploy/deploy';
import { FakeClock } from '../../../tools/shared/clock';
import { Progress } from '../../../tools/shared/progress';
import { givenDeployedStack, IMAGE_REPO, mockAws, OUTPUTS } from '../../helpers/platform-mocks';

const { mocks, clients, reset } = mockAws();
const START = Date.parse('2026-11-23T16:00:00Z'); // 11:00 New York
let clock: FakeClock;
let lines: string[];
let progress: Progress;

function targetAt(blue: number, green: number, events: Record<string, string> = {}) {
  return {
    deploymentTarget: {
      deploymentTargetType: 'ECSTarget' as const,
      ecsTarget: {
        lifecycleEvents: Object.entries(events).map(([lifecycleEventName, status]) => ({
          lifecycleEventName,
          status: status as 'Succeeded',
        })),
        taskSetsInfo: [
          { taskSetLabel: 'Blue' as const, trafficWeight: blue, runningCount: 2, desiredCount: 2 },
          { taskSetLabel: 'Green' as const, trafficWeight: green, runningCount: 2, desiredCount: 2 },
        ],
      },
    },
  };
}

function givenDeploymentGoes(
  statuses: Array<'InProgress' | 'Succeeded' | 'Failed'>,
  rollbackMessage?: string,
) {
  const get = mocks.codedeploy.on(GetDeploymentCommand);
  statuses.forEach((status) => {
    get.resolvesOnce({
      deploymentInfo: {
        deploymentId: 'd-NEW',
        status,
        ...(status === 'Failed' && rollbackMessage ? { rollbackInfo: { rollbackMessage } } : {}),
      },
    });
  });
  const target = mocks.codedeploy.on(GetDeploymentTargetCommand);
  target.resolvesOnce(
    targetAt(100, 0, {
      BeforeInstall: 'Succeeded',
      Install: 'Succeeded',
      AfterAllowTestTraffic: 'Succeeded',
    }),
  );
  target.resolvesOnce(targetAt(90, 10));
  target.resolves(targetAt(0, 100));
}

beforeEach(() => {
  reset();
  clock = new FakeClock(START);
  lines = [];
  progress = new Progress(clock, (l) => lines.push(l));
  givenDeployedStack(mocks);
  mocks.ecs.on(RegisterTaskDefinitionCommand).callsFake((input: { family: string }) => ({
    taskDefinition: {
      taskDefinitionArn: `arn:aws:ecs:us-east-2:111122223333:task-definition/${input.family}:8`,
    },
  }));
  mocks.codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW' });
});

describe('startDeployment', () => {
  test('registers the stack revision with the new image and deploys it with the full AppSpec', async () => {
    const started = await startDeployment(clients, OUTPUTS, { image: '2026.11.4' }, progress);
    const registered = mocks.ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input;
    expect(registered.family).toBe('orderbroker-dev-arm64');
    expect(registered.containerDefinitions?.find((c) => c.name === 'orderbroker')?.image).toBe(
      `${IMAGE_REPO}:2026.11.4`,
    );
    // The copy keeps the /tmp init container (on the new image too) and the app's dependency on it.
    expect(registered.containerDefinitions?.map((c) => [c.name, c.image, c.essential, c.user])).toEqual([
      ['orderbroker', `${IMAGE_REPO}:2026.11.4`, true, '10001:10001'],
      ['tmp-permissions', `${IMAGE_REPO}:2026.11.4`, false, '0'],
    ]);
    expect(registered.containerDefinitions?.[0].dependsOn).toEqual([
      { containerName: 'tmp-permissions', condition: 'SUCCESS' },
    ]);
    expect(registered.volumes).toEqual([{ name: 'tmp' }]);
    expect(registered.tags).toEqual([
      { key: 'CostCenter', value: 'CC-4100' },
      { key: 'Project', value: 'TradingPlatform' },
    ]);
    const create = mocks.codedeploy.commandCalls(CreateDeploymentCommand)[0].args[0].input;
    expect(create).toMatchObject({
      applicationName: 'orderbroker-dev',
      deploymentGroupName: 'orderbroker-dev',
    });
    expect(create.revision?.revisionType).toBe('AppSpecContent');
    const appSpec = JSON.parse(create.revision!.appSpecContent!.content!);
    expect(appSpec.Resources[0].TargetService.Properties.TaskDefinition).toBe(started.taskDefinitionArn);
    expect(appSpec.Resources[0].TargetService.Properties.CapacityProviderStrategy).toEqual([
      { CapacityProvider: 'FARGATE', Base: 2, Weight: 1 },
    ]);
    expect(appSpec.Hooks).toEqual([{ AfterAllowTestTraffic: OUTPUTS.ValidationHookFunctionArn }]);
    expect(started).toMatchObject({
      deploymentId: 'd-NEW',
      architecture: 'ARM64',
      previousTaskDefinitionArn: OUTPUTS.Arm64TaskDefinitionArn,
      taskDefinitionArn: 'arn:aws:ecs:us-east-2:111122223333:task-definition/orderbroker-dev-arm64:8',
    });
  });

  test('deploys the X86_64 family when asked, so either architecture is deployable', async () => {
    const started = await startDeployment(
      clients,
      OUTPUTS,
      { image: '2026.11.4', architecture: 'X86_64' },
      progress,
    );
    expect(
      mocks.ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input.runtimePlatform?.cpuArchitecture,
    ).toBe('X86_64');
    expect(started.taskDefinitionArn).toMatch(/task-definition\/orderbroker-dev-x86-64:8$/);
  });

  test('keeps the architecture that runs now by default', async () => {
    givenDeployedStack(mocks, OUTPUTS, OUTPUTS.X8664TaskDefinitionArn);
    const started = await startDeployment(clients, OUTPUTS, { image: '2026.11.4' }, progress);
    expect(started.architecture).toBe('X86_64');
  });

  test('switches architecture with the stack revision as it is, registering nothing', async () => {
    const started = await startDeployment(clients, OUTPUTS, { architecture: 'X86_64' }, progress);
    expect(mocks.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(started.taskDefinitionArn).toBe(OUTPUTS.X8664TaskDefinitionArn);
  });

  test('refuses to deploy what already runs, naming the fix', async () => {
    await expect(startDeployment(clients, OUTPUTS, {}, progress)).rejects.toThrow(
      `nothing to deploy: the service already runs ${OUTPUTS.Arm64TaskDefinitionArn}; pass --image <tag|sha256:digest> or --architecture X86_64`,
    );
    expect(mocks.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });
});

describe('followDeployment', () => {
  test('follows lifecycle events and the traffic shift to success', async () => {
    givenDeploymentGoes(['InProgress', 'InProgress', 'Succeeded']);
    const outcome = await followDeployment(
      clients.codedeploy,
      'd-NEW',
      'orderbroker-dev:orderbroker-dev',
      progress,
      {
        clock,
        pollMs: 15000,
        timeoutMs: 600000,
      },
    );
    expect(outcome).toMatchObject({ status: 'Succeeded', elapsedMs: 30000, maxGreenTrafficPercent: 100 });
    expect(lines).toEqual([
      '[00:00] deployment d-NEW: InProgress',
      '[00:00] lifecycle: BeforeInstall=Succeeded Install=Succeeded AfterAllowTestTraffic=Succeeded',
      '[00:00] traffic: blue 100% (2/2 tasks), green 0% (2/2 tasks)',
      '[00:15] traffic: blue 90% (2/2 tasks), green 10% (2/2 tasks)',
      '[00:30] deployment d-NEW: Succeeded',
      '[00:30] traffic: blue 0% (2/2 tasks), green 100% (2/2 tasks)',
    ]);
  });

  test('reports a failed deployment with its rollback message', async () => {
    givenDeploymentGoes(['InProgress', 'Failed'], 'Deployment rolled back: alarm OrderBroker green 5xx');
    const outcome = await followDeployment(clients.codedeploy, 'd-NEW', 't', progress, {
      clock,
      timeoutMs: 600000,
    });
    expect(outcome.status).toBe('Failed');
    expect(lines).toContain('[00:10] rollback: Deployment rolled back: alarm OrderBroker green 5xx');
  });

  test('stops following (not the deployment) at the timeout', async () => {
    mocks.codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'InProgress' } });
    const outcome = await followDeployment(clients.codedeploy, 'd-NEW', 't', progress, {
      clock,
      pollMs: 60000,
      timeoutMs: 180000,
    });
    expect(outcome).toMatchObject({ status: 'TimedOut', elapsedMs: 180000 });
    expect(mocks.codedeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
  });
});

describe('npm run deploy', () => {
  const run = (argv: string[]) =>
    deployMain(argv, { clients: () => clients, clock, write: (l) => lines.push(l) });

  test('exits 0 when the deployment succeeds, with progress and a summary', async () => {
    givenDeploymentGoes(['InProgress', 'Succeeded']);
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.4'])).resolves.toBe(0);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /created deployment d-NEW: orderbroker-dev-arm64:7 -> orderbroker-dev-arm64:8$/,
        ),
        'deployment d-NEW: PASSED (10 s)',
        '  PASS  deployment: orderbroker-dev-arm64:8 serves production',
        '1 passed, 0 failed',
      ]),
    );
    expect(mocks.cfn.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({
      StackName: 'OrderBroker-dev',
    });
  });

  test('exits 1 when CodeDeploy rolls the deployment back', async () => {
    givenDeploymentGoes(['InProgress', 'Failed'], 'validation hook failed');
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.4'])).resolves.toBe(1);
    expect(lines).toContain('  FAIL  deployment: Failed: validation hook failed');
  });

  test('exits 3 naming the missing outputs of an older stack', async () => {
    mocks.cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'OrderBroker-dev',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [],
        },
      ],
    });
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.4'])).resolves.toBe(3);
    expect(lines[0]).toMatch(
      /^error: could not start: stack OrderBroker-dev lacks output\(s\) LoadBalancerDns, .*ValidationHookFunctionArn.*: deploy the current version of this app first \(npx cdk deploy OrderBroker-dev\)$/,
    );
  });

  test('--stop stops the deployment with automatic rollback', async () => {
    mocks.codedeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    await expect(run(['--stack', 'OrderBroker-dev', '--stop', 'd-ABCDE1234'])).resolves.toBe(0);
    expect(mocks.codedeploy.commandCalls(StopDeploymentCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-ABCDE1234',
      autoRollbackEnabled: true,
    });
  });

  test.each([
    [[], 'error: --stack is required (OrderBroker-dev or OrderBroker-prod)'],
    [
      ['--stack', 'OrderBroker-dev', '--architecture', 'RISCV'],
      'error: --architecture = "RISCV": expected ARM64 or X86_64',
    ],
    [
      ['--stack', 'OrderBroker-dev', '--region', 'us-east-1'],
      'error: --region = "us-east-1": the platform runs in us-east-2 only',
    ],
    [
      ['--stack', 'OrderBroker-dev', '--tag', 'x'],
      'error: unknown option --tag; allowed: --stack, --image, --architecture, --timeout-minutes, --stop, --region, --no-wait, --help',
    ],
    [
      ['--stack', 'OrderBroker-dev', '--timeout-minutes', '0'],
      'error: --timeout-minutes = "0": expected a number from 1 to 240',
    ],
    [
      ['--stack', 'OrderBroker_dev;rm'],
      'error: --stack = "OrderBroker_dev;rm": expected a CloudFormation stack name (a letter, then letters, digits or hyphens, at most 128), e.g. OrderBroker-prod',
    ],
    [
      ['--stack', 'OrderBroker-dev', '--image', 'bad tag'],
      'error: --image = "bad tag": expected a tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or a digest sha256:<64 hex>',
    ],
    [
      ['--stack', 'OrderBroker-dev', '--image', 'latest'],
      'error: --image = "latest": a mutable tag cannot be rolled back to; pass the version tag (e.g. 2026.11.4) or the digest sha256:<64 hex>',
    ],
    [
      ['--stack', 'OrderBroker-dev', '--stop', 'NEW'],
      'error: --stop = "NEW": expected a CodeDeploy deployment id (d-XXXXXXXXX)',
    ],
    [
      ['--stack', 'OrderBroker-dev', '--stop', 'd-ABCDE1234', '--image', '2026.11.4'],
      'error: --stop cannot be combined with --image',
    ],
    [['OrderBroker-dev'], 'error: unexpected argument "OrderBroker-dev"; options start with --'],
  ])('exits 2 on bad usage %j, before any AWS call', async (argv, message) => {
    await expect(run(argv)).resolves.toBe(2);
    expect(lines[0].split('\n')[0]).toBe(message);
    for (const mock of Object.values(mocks)) expect(mock.calls()).toHaveLength(0);
  });

  test('--no-wait exits 0 once CodeDeploy accepted the deployment, saying how to stop it', async () => {
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.4', '--no-wait'])).resolves.toBe(0);
    expect(lines).toContain(
      'follow it: npm run deploy -- --stack OrderBroker-dev --stop d-NEW  (to stop and roll back)',
    );
    expect(mocks.codedeploy.commandCalls(GetDeploymentCommand)).toHaveLength(0);
  });

  const awsError = (name: string, message: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), { name, $fault: 'client', $metadata: {}, ...extra });

  test('exits 3 with a credentials hint and no SDK class name when there are no credentials', async () => {
    mocks.cfn
      .on(DescribeStacksCommand)
      .rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.4'])).resolves.toBe(3);
    expect(lines).toEqual([
      'error: could not start: deploying to OrderBroker-dev: no valid AWS credentials (missing or expired); supply credentials for the target account: `aws sso login --profile <name>` then run again with AWS_PROFILE=<name>, or export AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN',
    ]);
    expect(lines.join('\n')).not.toMatch(/CredentialsProviderError|Exception|Error:/);
  });

  test('exits 3 on expired credentials the same way', async () => {
    mocks.cfn
      .on(DescribeStacksCommand)
      .rejects(awsError('ExpiredToken', 'The security token included in the request is expired'));
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.4'])).resolves.toBe(3);
    expect(lines[0]).toContain('no valid AWS credentials (missing or expired); supply credentials');
  });

  test('exits 3 when AWS cannot be reached', async () => {
    mocks.cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('getaddrinfo ENOTFOUND cloudformation.us-east-2.amazonaws.com'), {
        code: 'ENOTFOUND',
      }),
    );
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.4'])).resolves.toBe(3);
    expect(lines).toEqual([
      'error: could not start: deploying to OrderBroker-dev: cannot reach AWS (ENOTFOUND); check the network, proxy (HTTPS_PROXY) or VPN and run again',
    ]);
  });

  test('exits 3 when the stack does not exist', async () => {
    mocks.cfn
      .on(DescribeStacksCommand)
      .rejects(awsError('ValidationError', 'Stack with id OrderBroker-dev does not exist'));
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.4'])).resolves.toBe(3);
    expect(lines).toEqual([
      "error: could not start: stack OrderBroker-dev not found in this account and region: check the name and the credentials' account",
    ]);
  });

  test('exits 3 when the image is not in ECR, before registering or deploying anything', async () => {
    mocks.ecr
      .on(DescribeImagesCommand)
      .rejects(
        awsError(
          'ImageNotFoundException',
          "The image with imageId {imageDigest:'null', imageTag:'2026.11.9'} does not exist within the repository with name 'orderbroker'",
        ),
      );
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.9'])).resolves.toBe(3);
    expect(lines).toContain(
      'error: could not start: image orderbroker:2026.11.9 not found in ECR registry 111122223333: push it first, or pass the tag or digest that was pushed',
    );
    expect(mocks.ecr.commandCalls(DescribeImagesCommand)[0].args[0].input).toEqual({
      registryId: '111122223333',
      repositoryName: 'orderbroker',
      imageIds: [{ imageTag: '2026.11.9' }],
    });
    expect(mocks.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(mocks.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  test('looks a digest up by digest', async () => {
    givenDeploymentGoes(['Succeeded']);
    const digest = `sha256:${'c'.repeat(64)}`;
    await expect(run(['--stack', 'OrderBroker-dev', '--image', digest])).resolves.toBe(0);
    expect(mocks.ecr.commandCalls(DescribeImagesCommand)[0].args[0].input.imageIds).toEqual([
      { imageDigest: digest },
    ]);
  });

  test('checks the image of the other architecture when switching without --image', async () => {
    givenDeploymentGoes(['Succeeded']);
    mocks.ecr.on(DescribeImagesCommand).resolves({ imageDetails: [] });
    await expect(run(['--stack', 'OrderBroker-dev', '--architecture', 'X86_64'])).resolves.toBe(3);
    expect(lines).toContain('error: could not start: image orderbroker:2026.11.3 not found in ECR');
    expect(mocks.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  test('exits 3 when the role may not create the deployment, with the AWS message and no class name', async () => {
    mocks.codedeploy
      .on(CreateDeploymentCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User: arn:aws:sts::111122223333:assumed-role/ReadOnly/x is not authorized to perform: codedeploy:CreateDeployment',
        ),
      );
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.4'])).resolves.toBe(3);
    const error = lines.find((l) => l.startsWith('error:'))!;
    expect(error).toBe(
      'error: could not start: deploying to OrderBroker-dev: access denied: User: arn:aws:sts::111122223333:assumed-role/ReadOnly/x is not authorized to perform: codedeploy:CreateDeployment; use a role allowed to deploy OrderBroker',
    );
  });

  test('exits 1 when it loses track of a started deployment, saying it goes on', async () => {
    mocks.codedeploy
      .on(GetDeploymentCommand)
      .rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(run(['--stack', 'OrderBroker-dev', '--image', '2026.11.4'])).resolves.toBe(1);
    expect(lines).toContain(
      'error: lost track of deployment d-NEW (it goes on in CodeDeploy): following it: cannot reach AWS (ECONNRESET); check the network, proxy (HTTPS_PROXY) or VPN and run again',
    );
  });
});
