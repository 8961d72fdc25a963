/**
 * Integration test: a bad version is rolled back automatically within 5 minutes.
 *
 * Deploys the platform plus a "bad" revision: the same container spec with the image tag `health-fail`
 * (the service built with its readiness check forced to 503). Deploys it through CodeDeploy with the deploy
 * CLI's AppSpec and passes when CodeDeploy marks the deployment Failed with a rollback within 5 minutes of
 * the assertion starting (the validation hook fails green through the test listener before any production
 * traffic moves), the production listener still forwards to the blue target group, and the service still
 * runs the original revision.
 *
 * Runbook (a disposable account, us-east-2; ECR repository `orderbroker` must hold the dev tag AND
 * `health-fail`; ~35 min):
 *   1. npx integ-runner --directory test/integ --parallel-regions us-east-2 --update-on-failed \
 *        --app "npx tsx {filePath}" integ.bad-version-rollback.ts
 *   2. Optionally keep the stack (--no-clean) and repeat with production traffic watched end to end:
 *        npm run scenario -- bad-version-rollback --stack OrderBrokerIntegBadVersion
 *   3. Delete the stack, then the retained ALB access-log bucket. Commit the updated snapshot.
 * Offline (CI): `npm run test:integ` only compares the synthesized templates with the committed snapshot.
 */
import { Duration } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { OrderBrokerTaskDefinitions } from '../../lib/constructs/task-definitions';
import { describeOrderBroker, platformUnderTest, startDeployment } from './platform-under-test';

/** The image tag of the bad version: readiness answers 503. */
const BAD_IMAGE_TAG = 'health-fail';

const put = platformUnderTest('OrderBrokerIntegBadVersion');
const { stack, config } = put;
const platform = stack.platform;
const good = platform.taskDefinitions.byArchitecture[config.service.architecture];
const bad = new OrderBrokerTaskDefinitions(stack, 'BadVersion', {
  familyPrefix: `orderbroker-${put.environmentName}-bad`,
  imageRepository: config.service.imageRepository,
  imageTag: BAD_IMAGE_TAG,
  cpu: config.service.cpu,
  memoryMiB: config.service.memoryMiB,
  containerPort: config.service.containerPort,
  healthCheckPath: config.service.healthCheckPath,
  taskRole: platform.taskRole.role,
  logsKey: stack.keys.logsKey,
  logRetention: config.service.logRetentionDays,
  metricsEnvironment: put.environmentName,
  environment: { ORDERBROKER_SCENARIO: 'bad-version-rollback' },
}).byArchitecture[config.service.architecture];

const integ = new IntegTest(put.app, 'BadVersionRollback', {
  testCases: [stack],
  assertionStack: put.assertionStack,
  regions: ['us-east-2'],
  diffAssets: false,
  stackUpdateWorkflow: false,
});

const deploy = startDeployment(integ, put, bad, 'integ: bad version, must be rolled back');

// The 5-minute rollback budget is the waiter's total timeout.
const rolledBack = integ.assertions
  .awsApiCall('CodeDeploy', 'getDeployment', { deploymentId: deploy.getAttString('deploymentId') })
  .expect(
    ExpectedResult.objectLike({
      deploymentInfo: Match.objectLike({ status: 'Failed', rollbackInfo: Match.objectLike({}) }),
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) });

const productionOnBlue = integ.assertions
  .awsApiCall('ElasticLoadBalancingV2', 'describeListeners', {
    ListenerArns: [platform.loadBalancing.productionListener.listenerArn],
  })
  .expect(
    ExpectedResult.objectLike({
      Listeners: [
        Match.objectLike({
          DefaultActions: [
            Match.objectLike({
              ForwardConfig: Match.objectLike({
                TargetGroups: Match.arrayWith([
                  Match.objectLike({ TargetGroupArn: platform.loadBalancing.blueTargetGroup.targetGroupArn }),
                ]),
              }),
            }),
          ],
        }),
      ],
    }),
  );

const serviceRunsGood = describeOrderBroker(integ, put).expect(
  ExpectedResult.objectLike({ services: [Match.objectLike({ taskDefinition: good.taskDefinitionArn })] }),
);

deploy.next(rolledBack).next(productionOnBlue).next(serviceRunsGood);
