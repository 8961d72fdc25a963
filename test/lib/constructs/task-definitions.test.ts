import type { Template } from 'aws-cdk-lib/assertions';
import {
  CONTAINER_NAME,
  CONTAINER_USER,
  TMP_INIT_CONTAINER_NAME,
  TMP_INIT_MEMORY_MIB,
} from '../../../lib/constructs/task-definitions';
import { resourceByPrefix, synthTemplate } from '../../helpers/synth';

let dev: Template;
beforeAll(() => {
  dev = synthTemplate();
});

const ARCHITECTURES = [
  ['ARM64', 'PlatformTaskDefinitionsArm64'],
  ['X86_64', 'PlatformTaskDefinitionsX8664'],
] as const;

function containers(prefix: string): Record<string, any> {
  const td = resourceByPrefix(dev, 'AWS::ECS::TaskDefinition', prefix);
  return Object.fromEntries(td.Properties.ContainerDefinitions.map((c: any) => [c.Name, c]));
}

describe.each(ARCHITECTURES)('the /tmp init container of the %s task definition', (arch, prefix) => {
  test('hands the shared /tmp volume to the app user, as root, and does nothing else', () => {
    const td = resourceByPrefix(dev, 'AWS::ECS::TaskDefinition', prefix);
    expect(td.Properties.RuntimePlatform.CpuArchitecture).toBe(arch);
    const init = containers(prefix)[TMP_INIT_CONTAINER_NAME];
    expect(init).toMatchObject({
      Essential: false,
      User: '0',
      ReadonlyRootFilesystem: true,
      EntryPoint: ['chown', CONTAINER_USER, '/tmp'],
      Memory: TMP_INIT_MEMORY_MIB,
      MountPoints: [{ ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'tmp' }],
    });
    expect(init.Command).toBeUndefined();
    expect(init.PortMappings).toBeUndefined();
    expect(init.LogConfiguration.LogDriver).toBe('awslogs');
    // CAP_CHOWN is the one default capability it keeps; Fargate may not add any but SYS_PTRACE.
    const dropped: string[] = init.LinuxParameters.Capabilities.Drop;
    expect(dropped).not.toContain('CHOWN');
    expect(dropped).toEqual(
      expect.arrayContaining(['DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'NET_RAW']),
    );
    expect(init.LinuxParameters.Capabilities.Add).toBeUndefined();
  });

  test('runs the app image itself (pinned by the configuration), so nothing else is pulled', () => {
    const all = containers(prefix);
    expect(all[TMP_INIT_CONTAINER_NAME].Image).toEqual(all[CONTAINER_NAME].Image);
  });

  test('the app container starts only after it exited 0, and stays non-root', () => {
    const app = containers(prefix)[CONTAINER_NAME];
    expect(app.DependsOn).toEqual([{ ContainerName: TMP_INIT_CONTAINER_NAME, Condition: 'SUCCESS' }]);
    expect(app.User).toBe(CONTAINER_USER);
    expect(app.Essential).toBe(true);
    expect(app.ReadonlyRootFilesystem).toBe(true);
  });

  test('only the init container runs as root', () => {
    const roots = Object.values(containers(prefix))
      .filter((c: any) => c.User === undefined || /^(0|root)(:|$)/.test(c.User))
      .map((c: any) => c.Name);
    expect(roots).toEqual([TMP_INIT_CONTAINER_NAME]);
  });

  test('the memory of both containers fits in the task: the app keeps its hard limit, reserves the rest', () => {
    const td = resourceByPrefix(dev, 'AWS::ECS::TaskDefinition', prefix);
    const taskMemory = Number(td.Properties.Memory);
    const all = Object.values(containers(prefix));
    const reserved = all.reduce((sum: number, c: any) => sum + (c.MemoryReservation ?? c.Memory), 0);
    expect(reserved).toBeLessThanOrEqual(taskMemory);
    expect(containers(prefix)[CONTAINER_NAME].Memory).toBe(taskMemory);
  });
});
