import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseTemplate, readManifest, readTemplate, readTemplateResources } from '../../lib/cfn-template';

describe('the one template reader', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-template-'));
    fs.writeFileSync(
      path.join(dir, 'S.template.json'),
      JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 5 } } } }),
    );
    fs.writeFileSync(
      path.join(dir, 'Empty.template.json'),
      JSON.stringify({ Outputs: { A: { Value: 'x' } } }),
    );
    fs.writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({
        artifacts: {
          S: {
            type: 'aws:cloudformation:stack',
            environment: 'aws://123456789012/us-east-2',
            properties: { templateFile: 'S.template.json', stackName: 'S-dev' },
          },
        },
      }),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads resources, outputs and properties as synthesized', () => {
    expect(readTemplate(path.join(dir, 'S.template.json')).Resources?.Q).toEqual({
      Type: 'AWS::SQS::Queue',
      Properties: { DelaySeconds: 5 },
    });
    expect(parseTemplate('{"Outputs":{"A":{"Value":"x"}}}').Outputs).toEqual({ A: { Value: 'x' } });
  });

  test('a template without Resources has none', () => {
    expect(readTemplateResources(path.join(dir, 'Empty.template.json'))).toEqual({});
    expect(Object.keys(readTemplateResources(path.join(dir, 'S.template.json')))).toEqual(['Q']);
  });

  test("reads the manifest's stack artifacts with their environment", () => {
    const artifact = readManifest(dir).artifacts?.S;
    expect(artifact?.environment).toBe('aws://123456789012/us-east-2');
    expect(artifact?.properties?.stackName).toBe('S-dev');
  });

  test('a file that is not JSON is refused', () => {
    fs.writeFileSync(path.join(dir, 'Bad.template.json'), 'Resources:');
    expect(() => readTemplate(path.join(dir, 'Bad.template.json'))).toThrow(SyntaxError);
  });
});
