import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { badVersionRollback, type BadVersionOptions } from '../../../tools/scenarios/bad-version-rollback';
import { scenarioMain } from '../../../scripts/scenario';
import { GreenStandIn } from '../../helpers/green-stand-in';
import {
  givenDeployedStack,
  IMAGE_REPO,
  mockAws,
  OUTPUTS,
  scenarioContext,
} from '../../helpers/platform-mocks';
import { fastPace, YieldingClock } from '../../helpers/test-clock';

const { mocks, clients, reset } = mockAws();
const BAD_TD = 'arn:aws:ecs:us-east-2:111122223333:task-definition/orderbroker-dev-arm64:8';
let production: GreenStandIn;
let baseUrl: string;
let lines: string[];
let clock: YieldingClock;

type Status = 'InProgress' | 'Succeeded' | 'Failed';

function givenListenerForwardsTo(...sequence: string[]) {
  const on = mocks.elbv2.on(DescribeListenersCommand);
  const answer = (tg: string) => ({
    Listeners: [
      {
        ListenerArn: OUTPUTS.ProductionListenerArn,
        DefaultActions: [
          {
            Type: 'forward' as const,
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: tg, Weight: 100 },
                {
                  TargetGroupArn:
                    tg === OUTPUTS.BlueTargetGroupArn
                      ? OUTPUTS.GreenTargetGroupArn
                      : OUTPUTS.BlueTargetGroupArn,
                  Weight: 0,
                },
              ],
            },
          },
        ],
      },
    ],
  });
  for (const tg of sequence) on.resolvesOnce(answer(tg));
  on.resolves(answer(sequence[sequence.length - 1]));
}

function givenDeployment(statuses: Status[], rollback?: { id?: string; statuses?: Status[] }) {
  const main = mocks.codedeploy.on(GetDeploymentCommand, { deploymentId: 'd-BAD' });
  for (const status of statuses) {
    main.resolvesOnce({
      deploymentInfo: {
        deploymentId: 'd-BAD',
        status,
        ...(status === 'Failed'
          ? {
              errorInformation: {
                code: 'HOOK_EXECUTION_FAILURE' as const,
                message: 'AfterAllowTestTraffic hook failed',
              },
              rollbackInfo: {
                rollbackDeploymentId: rollback?.id,
                rollbackMessage: 'Deployment failed; rolled back',
              },
            }
          : {}),
      },
    });
  }
  if (rollback?.id) {
    const rb = mocks.codedeploy.on(GetDeploymentCommand, { deploymentId: rollback.id });
    for (const status of rollback.statuses ?? ['Succeeded'])
      rb.resolvesOnce({ deploymentInfo: { deploymentId: rollback.id, status } });
  }
}

function givenServiceAfter(primary: string) {
  mocks.ecs
    .on(DescribeServicesCommand)
    .resolvesOnce({
      services: [{ serviceName: OUTPUTS.ServiceName, taskDefinition: OUTPUTS.Arm64TaskDefinitionArn }],
    })
    .resolves({
      services: [
        {
          serviceName: OUTPUTS.ServiceName,
          taskDefinition: primary,
          taskSets: [{ status: 'PRIMARY', taskDefinition: primary }],
        },
      ],
    });
}

const run = (options: Partial<BadVersionOptions> = {}) =>
  badVersionRollback(scenarioContext({ clients, clock, lines }), {
    productionUrl: baseUrl,
    pollMs: 30000,
    ...options,
  }).then((checks) => Object.fromEntries(checks.map((c) => [c.name, c])));

beforeEach(async () => {
  reset();
  lines = [];
  clock = new YieldingClock(Date.parse('2026-11-23T16:00:00Z'));
  givenDeployedStack(mocks);
  mocks.ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: BAD_TD } });
  mocks.codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-BAD' });
  mocks.codedeploy.on(GetDeploymentTargetCommand).resolves({ deploymentTarget: {} });
  mocks.codedeploy.on(GetDeploymentGroupCommand).resolves({
    deploymentGroupInfo: { alarmConfiguration: { enabled: true, alarms: [{ name: 'ob-green-unhealthy' }] } },
  });
  mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [{ AlarmName: 'ob-green-unhealthy', StateValue: 'ALARM' }],
  });
  production = new GreenStandIn('healthy');
  baseUrl = await production.start();
});

afterEach(async () => {
  await production.stop();
});

describe('bad-version-rollback', () => {
  test('passes when CodeDeploy rolls back within 5 minutes and production never changed (CLI exit 0)', async () => {
    givenListenerForwardsTo(OUTPUTS.BlueTargetGroupArn);
    givenDeployment(['InProgress', 'InProgress', 'Failed']);
    givenServiceAfter(OUTPUTS.Arm64TaskDefinitionArn);
    const code = await scenarioMain(
      ['bad-version-rollback', '--stack', 'OrderBroker-dev', '--production-url', baseUrl],
      { clients: () => clients, clock, write: (l) => lines.push(l), pace: fastPace },
    );
    expect(lines.filter((l) => /^ {2}(PASS|FAIL)/.test(l))).toEqual([
      '  PASS  the bad version was not promoted: d-BAD: Failed (AfterAllowTestTraffic hook failed)',
      '  PASS  CodeDeploy rolled back automatically: Deployment failed; rolled back',
      '  PASS  rollback complete within 300 s: 20 s from CreateDeployment',
      '  PASS  production listener still forwards to the previous target group: before targetgroup/ob-dev-blue/1111 (weight 100), after targetgroup/ob-dev-blue/1111 (weight 100)',
      `  PASS  the service still runs the previous version: primary task set runs ${OUTPUTS.Arm64TaskDefinitionArn}; before the deployment ${OUTPUTS.Arm64TaskDefinitionArn}`,
      '  PASS  production served throughout: 4/4 probes of /actuator/health/readiness answered 200',
    ]);
    expect(code).toBe(0);
    expect(lines).toContain('[00:20] alarm ob-green-unhealthy: ALARM');
  });

  test('deploys the health-fail image, marked as the scenario, through the normal AppSpec', async () => {
    givenListenerForwardsTo(OUTPUTS.BlueTargetGroupArn);
    givenDeployment(['Failed']);
    givenServiceAfter(OUTPUTS.Arm64TaskDefinitionArn);
    await run();
    const registered = mocks.ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input;
    const app = registered.containerDefinitions?.find((c) => c.name === 'orderbroker');
    expect(app?.image).toBe(`${IMAGE_REPO}:health-fail`);
    // The marker goes to the app container only; the /tmp init container keeps no environment of its own.
    expect(
      registered.containerDefinitions?.find((c) => c.name === 'tmp-permissions')?.environment,
    ).toBeUndefined();
    expect(app?.environment).toEqual([
      { name: 'ORDERBROKER_ARCHITECTURE', value: 'ARM64' },
      { name: 'ORDERBROKER_SCENARIO', value: 'bad-version-rollback' },
    ]);
    const appSpec = JSON.parse(
      mocks.codedeploy.commandCalls(CreateDeploymentCommand)[0].args[0].input.revision!.appSpecContent!
        .content!,
    );
    expect(appSpec.Resources[0].TargetService.Properties.TaskDefinition).toBe(BAD_TD);
    expect(appSpec.Resources[0].TargetService.Properties.CapacityProviderStrategy).toHaveLength(1);
  });

  test('waits for a separate rollback deployment to succeed', async () => {
    givenListenerForwardsTo(OUTPUTS.BlueTargetGroupArn);
    givenDeployment(['InProgress', 'Failed'], { id: 'd-RB', statuses: ['InProgress', 'Succeeded'] });
    givenServiceAfter(OUTPUTS.Arm64TaskDefinitionArn);
    const checks = await run();
    expect(checks['CodeDeploy rolled back automatically']).toMatchObject({
      passed: true,
      detail: 'Deployment failed; rolled back; rollback d-RB: Succeeded',
    });
    expect(checks['rollback complete within 300 s'].detail).toBe('60 s from CreateDeployment');
  });

  test('fails when the bad version is promoted (exit 1 through the CLI)', async () => {
    givenListenerForwardsTo(OUTPUTS.BlueTargetGroupArn, OUTPUTS.GreenTargetGroupArn);
    givenDeployment(['InProgress', 'Succeeded']);
    givenServiceAfter(BAD_TD);
    const code = await scenarioMain(
      ['bad-version-rollback', '--stack', 'OrderBroker-dev', '--production-url', baseUrl],
      { clients: () => clients, clock, write: (l) => lines.push(l), pace: fastPace },
    );
    expect(code).toBe(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        '  FAIL  the bad version was not promoted: d-BAD: Succeeded',
        '  FAIL  CodeDeploy rolled back automatically: no rollback recorded on the deployment',
        '  FAIL  production listener still forwards to the previous target group: before targetgroup/ob-dev-blue/1111 (weight 100), after targetgroup/ob-dev-green/2222 (weight 100)',
        `  FAIL  the service still runs the previous version: primary task set runs ${BAD_TD}; before the deployment ${OUTPUTS.Arm64TaskDefinitionArn}`,
      ]),
    );
  });

  test('fails when the rollback takes longer than 5 minutes', async () => {
    givenListenerForwardsTo(OUTPUTS.BlueTargetGroupArn);
    givenDeployment([...Array<Status>(11).fill('InProgress'), 'Failed']);
    givenServiceAfter(OUTPUTS.Arm64TaskDefinitionArn);
    const checks = await run();
    expect(checks['rollback complete within 300 s']).toMatchObject({
      passed: false,
      detail: '330 s from CreateDeployment',
    });
    expect(checks['CodeDeploy rolled back automatically'].passed).toBe(true);
  });

  test('fails when the rollback deployment itself fails', async () => {
    givenListenerForwardsTo(OUTPUTS.BlueTargetGroupArn);
    givenDeployment(['Failed'], { id: 'd-RB', statuses: ['Failed'] });
    givenServiceAfter(OUTPUTS.Arm64TaskDefinitionArn);
    const checks = await run();
    expect(checks['CodeDeploy rolled back automatically']).toMatchObject({
      passed: false,
      detail: 'Deployment failed; rolled back; rollback d-RB: Failed',
    });
  });

  test('fails when production stopped serving during the run', async () => {
    givenListenerForwardsTo(OUTPUTS.BlueTargetGroupArn);
    givenDeployment(['InProgress', 'InProgress', 'Failed']);
    givenServiceAfter(OUTPUTS.Arm64TaskDefinitionArn);
    production.mode = 'unready';
    const checks = await run();
    expect(checks['production served throughout']).toEqual({
      name: 'production served throughout',
      passed: false,
      detail: '0/4 probes of /actuator/health/readiness answered 200; e.g. 503',
    });
  });
});
