/**
 * Integration test: pre-open capacity.
 *
 * Proves on a real deployment that the scaling the 09:25 guarantee rests on is in place: the scalable target's
 * minimum is the warm floor, the four scheduled actions run Monday to Friday in America/New_York with the
 * configured minimums, and the service keeps the warm floor running on the FARGATE capacity provider.
 *
 * Runbook (a disposable AWS account, us-east-2, credentials of a deploy role; ~25 min, mostly Aurora):
 *   1. npx integ-runner --directory test/integ --parallel-regions us-east-2 --update-on-failed \
 *        --app "npx tsx {filePath}" integ.pre-open-capacity.ts
 *      (deploys OrderBrokerIntegPreOpen, runs the assertions below, destroys it; commit the updated snapshot)
 *   2. For the time-of-day proof, keep the stack (--no-clean) and run at any time:
 *        npm run scenario -- pre-open-capacity --stack OrderBrokerIntegPreOpen
 *      or between 09:25 and 09:30 ET on a trading day for the live running-count check.
 *   3. Delete the stack, then the retained ALB access-log bucket (name in the stack's resources).
 * Offline (CI): `npm run test:integ` only compares the synthesized templates with the committed snapshot.
 */
import { Duration } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { describeOrderBroker, platformUnderTest } from './platform-under-test';

const put = platformUnderTest('OrderBrokerIntegPreOpen');
const { stack, config } = put;
const platform = stack.platform;
const resourceId = `service/${platform.orderBroker.cluster.clusterName}/${platform.orderBroker.service.serviceName}`;

const integ = new IntegTest(put.app, 'PreOpenCapacity', {
  testCases: [stack],
  assertionStack: put.assertionStack,
  regions: ['us-east-2'],
  diffAssets: false,
  stackUpdateWorkflow: false,
});

const target = integ.assertions
  .awsApiCall('ApplicationAutoScaling', 'describeScalableTargets', {
    ServiceNamespace: 'ecs',
    ResourceIds: [resourceId],
    ScalableDimension: 'ecs:service:DesiredCount',
  })
  .expect(
    ExpectedResult.objectLike({
      ScalableTargets: [
        Match.objectLike({ MinCapacity: config.capacity.warmFloor, MaxCapacity: config.capacity.maxTasks }),
      ],
    }),
  );

const at = (t: { hour: number; minute: number }) => `cron(${t.minute} ${t.hour} ? * MON-FRI *)`;
const scheduled = integ.assertions
  .awsApiCall('ApplicationAutoScaling', 'describeScheduledActions', {
    ServiceNamespace: 'ecs',
    ResourceId: resourceId,
    ScalableDimension: 'ecs:service:DesiredCount',
  })
  .expect(
    ExpectedResult.objectLike({
      ScheduledActions: Match.arrayWith([
        Match.objectLike({
          Schedule: at(config.schedule.preOpen),
          Timezone: 'America/New_York',
          ScalableTargetAction: {
            MinCapacity: config.capacity.preOpenTasks,
            MaxCapacity: config.capacity.maxTasks,
          },
        }),
        Match.objectLike({
          Schedule: at(config.schedule.postOpen),
          Timezone: 'America/New_York',
          ScalableTargetAction: {
            MinCapacity: config.capacity.warmFloor,
            MaxCapacity: config.capacity.maxTasks,
          },
        }),
        Match.objectLike({
          Schedule: at(config.schedule.preClose),
          Timezone: 'America/New_York',
          ScalableTargetAction: {
            MinCapacity: config.capacity.preCloseTasks,
            MaxCapacity: config.capacity.maxTasks,
          },
        }),
      ]),
    }),
  );

const warmFloorRunning = describeOrderBroker(integ, put)
  .expect(
    ExpectedResult.objectLike({
      services: [
        Match.objectLike({
          runningCount: config.capacity.warmFloor,
          capacityProviderStrategy: [
            { capacityProvider: 'FARGATE', base: config.capacity.warmFloor, weight: 1 },
          ],
        }),
      ],
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

target.next(scheduled).next(warmFloorRunning);
