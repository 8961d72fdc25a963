import { synthTemplate } from './helpers/synth';

test('the default profile synthesizes one OrderBroker service', () => {
  const template = synthTemplate();
  template.resourceCountIs('AWS::ECS::Service', 1);
});
