import { createHash } from 'node:crypto';
import {
  AppSpecError,
  appSpecContent,
  appSpecInputFromOutputs,
  buildAppSpec,
  type AppSpecInput,
} from '../../../tools/deploy/appspec';
import { containerImage, revisionWithImage, withImageRef } from '../../../tools/deploy/task-definition';
import { IMAGE_REPO, OUTPUTS, taskDefinition } from '../../helpers/platform-mocks';

const TD = 'arn:aws:ecs:us-east-2:111122223333:task-definition/orderbroker-dev-arm64:8';
const input: AppSpecInput = appSpecInputFromOutputs(OUTPUTS, TD);

describe('buildAppSpec', () => {
  test('renders the ECS AppSpec with the capacity-provider strategy, networking and the hook', () => {
    expect(buildAppSpec(input)).toEqual({
      version: '0.0',
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: TD,
              LoadBalancerInfo: { ContainerName: 'orderbroker', ContainerPort: 8080 },
              PlatformVersion: 'LATEST',
              NetworkConfiguration: {
                AwsvpcConfiguration: {
                  Subnets: ['subnet-0a', 'subnet-0b', 'subnet-0c'],
                  SecurityGroups: ['sg-0task'],
                  AssignPublicIp: 'DISABLED',
                },
              },
              CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Base: 2, Weight: 1 }],
            },
          },
        },
      ],
      Hooks: [{ AfterAllowTestTraffic: OUTPUTS.ValidationHookFunctionArn }],
    });
  });

  test('the revision content is the JSON text with its SHA-256', () => {
    const { content, sha256 } = appSpecContent(buildAppSpec(input));
    expect(JSON.parse(content)).toEqual(buildAppSpec(input));
    expect(sha256).toBe(createHash('sha256').update(content).digest('hex'));
  });

  test('refuses an empty capacity-provider strategy (CodeDeploy would drop it)', () => {
    expect(() => buildAppSpec({ ...input, capacityProviderStrategy: [] })).toThrow(
      new AppSpecError(
        'capacityProviderStrategy is empty: CodeDeploy would drop the strategy and start green on the FARGATE launch type; pass the stack output CapacityProviderStrategy',
      ),
    );
  });

  test('refuses FARGATE_SPOT on the order path', () => {
    expect(() =>
      buildAppSpec({ ...input, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }),
    ).toThrow(
      'AppSpec: capacityProviderStrategy has "FARGATE_SPOT": only FARGATE is allowed on the order path',
    );
  });

  test('refuses a missing or qualified hook ARN', () => {
    expect(() => buildAppSpec({ ...input, afterAllowTestTrafficHookArn: '' })).toThrow(
      'AppSpec: afterAllowTestTrafficHookArn = "": expected the unqualified ARN of the validation hook function (output ValidationHookFunctionArn)',
    );
    expect(() =>
      buildAppSpec({ ...input, afterAllowTestTrafficHookArn: `${OUTPUTS.ValidationHookFunctionArn}:live` }),
    ).toThrow(AppSpecError);
  });

  test('refuses a task definition without a revision', () => {
    expect(() => buildAppSpec({ ...input, taskDefinitionArn: TD.replace(':8', '') })).toThrow(
      'AppSpec: taskDefinitionArn = "arn:aws:ecs:us-east-2:111122223333:task-definition/orderbroker-dev-arm64": expected a task definition ARN with a revision (…:task-definition/<family>:<revision>)',
    );
  });

  test('refuses empty task networking', () => {
    expect(() => buildAppSpec({ ...input, subnets: [] })).toThrow(
      'AppSpec: subnets and securityGroups must not be empty: expected the stack outputs TaskSubnetIds and TaskSecurityGroupIds',
    );
  });

  test('names the output when the strategy output is not JSON', () => {
    expect(() => appSpecInputFromOutputs({ ...OUTPUTS, CapacityProviderStrategy: 'FARGATE' }, TD)).toThrow(
      'AppSpec: stack output CapacityProviderStrategy = "FARGATE": expected a JSON array',
    );
  });
});

describe('image references', () => {
  test.each([
    [`${IMAGE_REPO}:2026.11.3`, '2026.11.4', `${IMAGE_REPO}:2026.11.4`],
    [`${IMAGE_REPO}:2026.11.3`, `sha256:${'a'.repeat(64)}`, `${IMAGE_REPO}@sha256:${'a'.repeat(64)}`],
    [`${IMAGE_REPO}@sha256:${'b'.repeat(64)}`, '2026.11.4', `${IMAGE_REPO}:2026.11.4`],
    ['registry.internal:5000/orderbroker', 'v2', 'registry.internal:5000/orderbroker:v2'],
  ])('%s with %s is %s', (image, ref, expected) => {
    expect(withImageRef(image, ref)).toBe(expected);
  });

  test('rejects a reference that is neither a tag nor a digest', () => {
    expect(() => withImageRef(`${IMAGE_REPO}:1`, 'latest; rm -rf')).toThrow(
      'image = "latest; rm -rf": expected a tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or a digest sha256:<64 hex>',
    );
  });
});

describe('revisionWithImage', () => {
  const base = taskDefinition(OUTPUTS.Arm64TaskDefinitionArn, 'ARM64');
  const tags = [{ key: 'CostCenter', value: 'CC-4100' }];

  test('changes only the image and keeps the tags', () => {
    const input = revisionWithImage(base, tags, 'orderbroker', `${IMAGE_REPO}:2026.11.4`);
    // The /tmp init container runs the app image too: it moves with it (test/tools/deploy/task-definition.test.ts).
    expect(input.containerDefinitions).toEqual(
      base.containerDefinitions!.map((c) => ({ ...c, image: `${IMAGE_REPO}:2026.11.4` })),
    );
    expect(input).toMatchObject({
      family: 'orderbroker-dev-arm64',
      cpu: '2048',
      memory: '4096',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      taskRoleArn: base.taskRoleArn,
      executionRoleArn: base.executionRoleArn,
      tags,
    });
  });

  test('drops the reserved aws: tags CloudFormation put on the revision, keeping the tag policy', () => {
    const input = revisionWithImage(
      base,
      [
        { key: 'aws:cloudformation:stack-name', value: 'OrderBroker-dev' },
        { key: 'AWS:CloudFormation:logical-id', value: 'TaskDef' },
        { key: 'aws:cloudformation:stack-id', value: 'arn:aws:cloudformation:us-east-2:1:stack/x/y' },
        ...tags,
        { key: 'Project', value: 'TradingPlatform' },
      ],
      'orderbroker',
      'x',
    );
    expect(input.tags).toEqual([...tags, { key: 'Project', value: 'TradingPlatform' }]);
  });

  test('leaves out what RegisterTaskDefinition rejects (read-only fields)', () => {
    const input = revisionWithImage(base, [], 'orderbroker', 'x');
    for (const key of [
      'taskDefinitionArn',
      'revision',
      'status',
      'registeredAt',
      'registeredBy',
      'requiresAttributes',
      'compatibilities',
    ]) {
      expect(input).not.toHaveProperty(key);
    }
    expect(input.tags).toBeUndefined();
  });

  test('names the containers when the container is missing', () => {
    expect(() => revisionWithImage(base, [], 'sidecar', 'x')).toThrow(
      `task definition ${OUTPUTS.Arm64TaskDefinitionArn} has no container named sidecar (containers: orderbroker, tmp-permissions)`,
    );
    expect(() => containerImage(base, 'sidecar')).toThrow('has no image for container sidecar');
  });
});
