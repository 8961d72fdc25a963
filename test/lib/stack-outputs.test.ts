import { STACK_OUTPUT_KEYS } from '../../lib/stack-outputs';
import { OUTPUT_KEYS } from '../../tools/shared/stack-outputs';
import { synthTemplate } from '../helpers/synth';

describe('the one list of stack outputs', () => {
  test('the stack writes exactly the listed outputs, in the listed order', () => {
    // The Lambda bundles are not under test: CDK's documented switch skips bundling for every stack.
    const template = synthTemplate({ 'aws:cdk:bundling-stacks': [] });
    expect(Object.keys(template.toJSON().Outputs as object)).toEqual([...STACK_OUTPUT_KEYS]);
  });

  test('the tools require every output but the two for people (the alerts topic, the stream), in template order', () => {
    expect(STACK_OUTPUT_KEYS.filter((k) => !(OUTPUT_KEYS as readonly string[]).includes(k))).toEqual([
      'SreTopicArn',
      'TradesStreamName',
    ]);
    expect([...OUTPUT_KEYS]).toEqual(
      STACK_OUTPUT_KEYS.filter((k) => (OUTPUT_KEYS as readonly string[]).includes(k)),
    );
  });
});
