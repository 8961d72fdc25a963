/**
 * Integration test: blue/green deployment through CodeDeploy with the validation hook.
 *
 * Deploys the platform, then deploys a new revision through CodeDeploy with the same AppSpec the deploy CLI
 * builds (capacity-provider strategy + AfterAllowTestTraffic hook): the X86_64 task definition of the same
 * multi-arch image, i.e. an architecture switch. Passes when CodeDeploy reports Succeeded (the hook validated
 * green through the test listener, the canary shifted, blue was kept for the bake window) and the service
 * then runs the new revision with the FARGATE strategy and warm-floor base intact (CodeDeploy drops the
 * strategy when an AppSpec leaves it out).
 *
 * Zero dropped trades needs a synthetic order stream during the shift, which an assertion Lambda cannot run
 * for 20 minutes. Runbook (a disposable account, us-east-2; the ECR repository `orderbroker` must hold the
 * multi-arch image tag of the dev profile; ~50 min):
 *   1. npx integ-runner --directory test/integ --parallel-regions us-east-2 --update-on-failed --no-clean \
 *        --app "npx tsx {filePath}" integ.bluegreen-zero-drop.ts
 *   2. From a host in the VPC (the ALB is internal), with the stack still up:
 *        npm run scenario -- bluegreen-zero-drop --stack OrderBrokerIntegBlueGreen --image <new tag> --rate 20
 *      It passes only if every synthetic order was acknowledged exactly once.
 *   3. Delete the stack, then the retained ALB access-log bucket. Commit the updated snapshot.
 * Offline (CI): `npm run test:integ` only compares the synthesized templates with the committed snapshot.
 */
import { Duration } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { describeOrderBroker, platformUnderTest, startDeployment } from './platform-under-test';

const put = platformUnderTest('OrderBrokerIntegBlueGreen');
const { stack, config } = put;
const platform = stack.platform;
const newRevision = platform.taskDefinitions.byArchitecture.X86_64;

const integ = new IntegTest(put.app, 'BlueGreenZeroDrop', {
  testCases: [stack],
  assertionStack: put.assertionStack,
  regions: ['us-east-2'],
  diffAssets: false,
  stackUpdateWorkflow: false,
});

const deploy = startDeployment(integ, put, newRevision, 'integ: blue/green to the X86_64 revision');

const succeeded = integ.assertions
  .awsApiCall('CodeDeploy', 'getDeployment', { deploymentId: deploy.getAttString('deploymentId') })
  .expect(ExpectedResult.objectLike({ deploymentInfo: Match.objectLike({ status: 'Succeeded' }) }))
  .waitForAssertions({ totalTimeout: Duration.minutes(45), interval: Duration.seconds(30) });

const serviceRunsGreen = describeOrderBroker(integ, put).expect(
  ExpectedResult.objectLike({
    services: [
      Match.objectLike({
        taskDefinition: newRevision.taskDefinitionArn,
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE', base: config.capacity.warmFloor, weight: 1 },
        ],
      }),
    ],
  }),
);

deploy.next(succeeded).next(serviceRunsGreen);
