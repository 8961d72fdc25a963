import { STACK_OUTPUT_KEYS } from '../../lib/stack-outputs';
import { OUTPUT_KEYS } from '../../tools/shared/stack-outputs';
import { synthTemplate } from '../helpers/synth';

describe('the one list of stack outputs', () => {
  test('the stack writes exactly the listed outputs, in the listed order', () => {
    // The Lambda bundles are not under test: CDK's documented switch skips bundling for every stack.
    const template = synthTemplate({ 'aws:cdk:bundling-stacks': [] });
    expect(Object.keys(template.toJSON().Outputs as object)).toEqual([...STACK_OUTPUT_KEYS]);
  });

  test('the tools read only outputs the stack writes, each once', () => {
    expect(OUTPUT_KEYS.filter((k) => !(STACK_OUTPUT_KEYS as readonly string[]).includes(k))).toEqual([]);
    expect(new Set(OUTPUT_KEYS).size).toBe(OUTPUT_KEYS.length);
  });
});
