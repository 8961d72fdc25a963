import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PluginWorker, workerContext } from '../../../lib/compliance/plugin-worker';

const PLUGINS = path.join(__dirname, '..', '..', 'fixtures', 'plugins', 'validation-plugins.js');

/** A template file whose whole content is `text`. */
function file(text: string): string {
  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-worker-')), `${text}.template.json`);
  fs.writeFileSync(target, text);
  return target;
}

const workers: PluginWorker[] = [];
function worker(pluginClass: string, props?: unknown, warmUp?: string): PluginWorker {
  const w = new PluginWorker({ pluginModule: PLUGINS, pluginClass, props, warmUp });
  workers.push(w);
  return w;
}
afterAll(() => workers.forEach((w) => w.terminate()));

/** What EchoPlugin put in a violation's description. */
const echoed = (report: { violations: Array<{ description: string }> }, i = 0) =>
  JSON.parse(report.violations[i].description) as { isMainThread: boolean; call: number; region?: string };

describe('PluginWorker: a validation plugin in a worker thread, asked synchronously', () => {
  test("the answer is the plugin's own report, computed off the main thread with the given props", () => {
    const template = file('alpha');
    const report = worker('EchoPlugin', { prefix: 'P' }).request({
      templatePaths: [template],
      region: 'us-east-2',
    })();
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.ruleName)).toEqual(['P:alpha']);
    expect(report.violations[0].violatingResources).toEqual([{ templatePath: template, locations: [] }]);
    expect(echoed(report)).toMatchObject({ isMainThread: false, call: 1, region: 'us-east-2' });
  });

  test('requests posted before either is awaited are answered in order by the same plugin', () => {
    const w = worker('EchoPlugin', { prefix: 'Q' });
    const first = w.request({ templatePaths: [file('one')] });
    const second = w.request({ templatePaths: [file('two')] });
    const [b, a] = [second(), first()];
    expect([a.violations[0].ruleName, echoed(a).call, b.violations[0].ruleName, echoed(b).call]).toEqual([
      'Q:one',
      1,
      'Q:two',
      2,
    ]);
  });

  test('with warmUp, the plugin validates that template once before the first request', () => {
    const report = worker('EchoPlugin', { prefix: 'W' }, file('warm')).request({
      templatePaths: [file('beta')],
    })();
    expect([report.violations.map((v) => v.ruleName), echoed(report).call]).toEqual([['W:beta'], 2]);
  });

  test('a warm-up that fails is only a warm-up: the requests are answered', () => {
    const missing = path.join(os.tmpdir(), 'no-such-dir', 'warm.template.json');
    const report = worker('EchoPlugin', { prefix: 'M' }, missing).request({
      templatePaths: [file('gamma')],
    })();
    expect(report.violations.map((v) => v.ruleName)).toEqual(['M:gamma']);
  });

  test('a worker that stops while validating: that request and the ones queued behind it throw, none hangs', () => {
    const w = worker('ExitingPlugin');
    const first = w.request({ templatePaths: [file('e1')] });
    const second = w.request({ templatePaths: [file('e2')] });
    expect(first).toThrow(/posted no report|stopped without answering/);
    expect(second).toThrow('the validation worker stopped without answering');
  });

  test("a plugin that cannot be constructed: every request throws the constructor's message", () => {
    const w = worker('BrokenConstructor');
    expect(w.request({ templatePaths: [file('x')] })).toThrow('cannot construct this plugin');
    expect(w.request({ templatePaths: [file('y')] })).toThrow('cannot construct this plugin');
  });

  test("a plugin whose validate() throws: the request throws the plugin's message", () => {
    expect(worker('ThrowingPlugin').request({ templatePaths: [file('a'), file('b')] })).toThrow(
      'cannot validate 2 template(s)',
    );
  });

  test('a report that cannot cross threads is an error, not a hang', () => {
    expect(worker('UnclonablePlugin').request({ templatePaths: [file('c')] })).toThrow(/could not be cloned/);
  });

  test('an unknown plugin class is an error, not a hang', () => {
    expect(worker('NoSuchPlugin').request({ templatePaths: [file('d')] })).toThrow(/is not a constructor/);
  });
});

describe('workerContext: the data of a validation context, without the app construct', () => {
  test('keeps the templates, the stack templates, account and region; drops everything else', () => {
    const stackTemplates = [
      { stackConstructPath: 'S', templatePath: '/t/S.template.json', region: 'us-east-2' },
    ];
    const context = {
      templatePaths: ['/t/S.template.json'],
      stackTemplates,
      accountId: '123456789012',
      region: 'us-east-2',
      appConstruct: { node: () => 'not data' },
    };
    expect(workerContext(context as never)).toEqual({
      templatePaths: ['/t/S.template.json'],
      stackTemplates,
      accountId: '123456789012',
      region: 'us-east-2',
    });
  });
});
