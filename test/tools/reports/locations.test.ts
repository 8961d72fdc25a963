import type { ProfileAssembly } from '../../../tools/reports/assembly';
import { constructSource, parseFrame } from '../../../tools/reports/locations';

const ROOT = '/build/repo';

describe('parseFrame', () => {
  test('a frame in the repository becomes a relative path, line and column', () => {
    expect(parseFrame('new Network (/build/repo/lib/constructs/network.ts:53:17)', ROOT)).toEqual({
      uri: 'lib/constructs/network.ts',
      line: 53,
      column: 17,
      function: 'new Network',
    });
    expect(parseFrame('at <anonymous> (/build/repo/bin/tap.ts:9:3)', ROOT)).toMatchObject({
      uri: 'bin/tap.ts',
      line: 9,
    });
  });

  test.each([
    ['library code', '.../build/repo/node_modules/aws-cdk-lib/aws-ec2/lib/vpc.js:1:229 in aws-cdk-lib...'],
    ['a dependency inside the repository', 'x (/build/repo/node_modules/cdk-nag/lib/x.js:1:2)'],
    ['another checkout', 'new Network (/elsewhere/repo/lib/constructs/network.ts:53:17)'],
    ['a summary line', '...new Vpc2 in aws-cdk-lib...'],
    ['node internals', 'Array.forEach (:)'],
  ])('%s is not a repository frame', (_what, frame) => {
    expect(parseFrame(frame, ROOT)).toBeUndefined();
  });
});

function assembly(stacks: Record<string, string[]>): ProfileAssembly {
  return { creationStacks: new Map(Object.entries(stacks)) } as unknown as ProfileAssembly;
}

describe('constructSource', () => {
  const stacks = assembly({
    'S': ['createApp (/build/repo/lib/app.ts:68:17)', '<anonymous> (/build/repo/bin/tap.ts:9:3)'],
    'S/Network/Vpc/Resource': [
      '...new Vpc2 in aws-cdk-lib...',
      'new Network (/build/repo/lib/constructs/network.ts:53:17)',
      'new TapStack (/build/repo/lib/tap-stack.ts:42:20)',
      'createApp (/build/repo/lib/app.ts:68:17)',
    ],
    'S/Network/Vpc/publicSubnet1/DefaultRoute': ['...aws-cdk-lib...', '(no user code in 10 frames)'],
    'S/Network/Vpc/publicSubnet1/EIP': ['new Network (/build/repo/lib/constructs/network.ts:53:17)'],
    'S/Network/Vpc/publicSubnet1/Subnet': ['...aws-cdk-lib...'],
    'S/Custom::Provider/Handler': ['...aws-cdk-lib...'],
  });

  test('uses the construct own creation stack, without the app entry point frames', () => {
    expect(constructSource(stacks, 'S/Network/Vpc/Resource', ROOT)).toEqual({
      location: { uri: 'lib/constructs/network.ts', line: 53, column: 17, function: 'new Network' },
      frames: [
        { uri: 'lib/constructs/network.ts', line: 53, column: 17, function: 'new Network' },
        { uri: 'lib/tap-stack.ts', line: 42, column: 20, function: 'new TapStack' },
      ],
    });
  });

  test('an L2 construct without a stack of its own uses its resource', () => {
    expect(constructSource(stacks, 'S/Network/Vpc', ROOT)).toMatchObject({
      location: { uri: 'lib/constructs/network.ts', line: 53 },
      via: 'S/Network/Vpc/Resource',
    });
  });

  test('a resource created deep in the library uses the nearest relative that reaches the repository', () => {
    expect(constructSource(stacks, 'S/Network/Vpc/publicSubnet1/DefaultRoute', ROOT)).toMatchObject({
      location: { uri: 'lib/constructs/network.ts', line: 53 },
      via: 'S/Network/Vpc/publicSubnet1/EIP',
    });
  });

  test('never falls back to the stack itself: no location when nothing below it reaches the repository', () => {
    expect(constructSource(stacks, 'S/Custom::Provider/Handler', ROOT)).toBeUndefined();
  });
});
