import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { revisionWithImage } from '../../../tools/deploy/task-definition';

const OLD = '111122223333.dkr.ecr.us-east-2.amazonaws.com/orderbroker@sha256:' + 'a'.repeat(64);
const NEW = '111122223333.dkr.ecr.us-east-2.amazonaws.com/orderbroker@sha256:' + 'b'.repeat(64);
const SIDECAR = 'public.ecr.aws/aws-observability/aws-otel-collector@sha256:' + 'c'.repeat(64);

function base(): TaskDefinition {
  return {
    taskDefinitionArn: 'arn:aws:ecs:us-east-2:111122223333:task-definition/orderbroker-dev-arm64:7',
    family: 'orderbroker-dev-arm64',
    volumes: [{ name: 'tmp' }],
    containerDefinitions: [
      {
        name: 'tmp-permissions',
        image: OLD,
        essential: false,
        user: '0',
        readonlyRootFilesystem: true,
        entryPoint: ['chown', '10001:10001', '/tmp'],
        mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
      },
      {
        name: 'orderbroker',
        image: OLD,
        essential: true,
        user: '10001:10001',
        dependsOn: [{ containerName: 'tmp-permissions', condition: 'SUCCESS' }],
        mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
      },
      { name: 'collector', image: SIDECAR, essential: false },
    ],
  };
}

describe('revisionWithImage', () => {
  test('keeps the /tmp init container, its volume and the SUCCESS dependency of the app on it', () => {
    const input = revisionWithImage(base(), [], 'orderbroker', NEW);
    const [init, app] = input.containerDefinitions ?? [];
    expect(init).toEqual({ ...base().containerDefinitions![0], image: NEW });
    expect(app.dependsOn).toEqual([{ containerName: 'tmp-permissions', condition: 'SUCCESS' }]);
    expect(app.mountPoints).toEqual([{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }]);
    expect(input.volumes).toEqual([{ name: 'tmp' }]);
  });

  test('moves the containers that ran the app image to the new image, and only those', () => {
    const images = revisionWithImage(base(), [], 'orderbroker', NEW).containerDefinitions?.map((c) => [
      c.name,
      c.image,
    ]);
    expect(images).toEqual([
      ['tmp-permissions', NEW],
      ['orderbroker', NEW],
      ['collector', SIDECAR],
    ]);
  });

  test('leaves an init container on another image alone', () => {
    const td = base();
    td.containerDefinitions![0].image = SIDECAR;
    const input = revisionWithImage(td, [], 'orderbroker', NEW);
    expect(input.containerDefinitions?.[0].image).toBe(SIDECAR);
  });
});
