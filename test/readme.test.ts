import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_KEYS } from '../lib/config/keys';
import { PROFILES } from '../lib/config/profiles';
import { REPO_ROOT } from './helpers/synth';

const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

test('the README opens with the install+synth and install+test commands', () => {
  const firstBlock = readme.split('```')[1];
  expect(firstBlock).toContain('npm ci && npm run synth');
  expect(firstBlock).toContain('npm ci && npm test');
});

test('CI runs the test command the README gives', () => {
  const ci = fs.readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
  expect(ci).toMatch(/^npm ci$/m);
  expect(ci).toMatch(/^npm test$/m);
});

test.each(Object.entries(CONFIG_KEYS))(
  'the configuration table documents `%s` and its profile values',
  (key, description) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\``));
    expect(row).toBeDefined();
    const cells = row!
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replace(/\s+/g, ' '));
    const value = (profile: keyof typeof PROFILES) => {
      const v = PROFILES[profile][key];
      return v === undefined ? '' : `\`${v}\``;
    };
    expect(cells).toEqual([`\`${key}\``, description.replace(/\s+/g, ' '), value('dev'), value('prod')]);
  },
);

describe('documented commands', () => {
  const docs = ['README.md', ...fs.readdirSync(path.join(REPO_ROOT, 'docs')).map((f) => `docs/${f}`)].filter(
    (f) => f.endsWith('.md'),
  );
  const scripts = Object.keys(
    (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: object })
      .scripts,
  );

  test.each(docs)('every `npm run <script>` in %s exists in package.json', (file) => {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    const used = [...text.matchAll(/npm run ([A-Za-z0-9:_-]+)/g)].map((m) => m[1]);
    expect(used.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  test('the README links the first-deployment guide, the failed-deployment runbook and the image contract', () => {
    expect(readme).toContain('## First deployment in a new account');
    for (const doc of [
      'docs/first-deploy.md',
      'docs/runbook-failed-deployment.md',
      'docs/image-contract.md',
    ]) {
      expect(readme).toContain(`](${doc})`);
      expect(fs.existsSync(path.join(REPO_ROOT, doc))).toBe(true);
    }
  });

  test('the first create and its retry are one and the same documented command', () => {
    const guide = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'first-deploy.md'), 'utf8');
    const create = 'npm run stack:deploy -- --profile <profile> -c account=<account>';
    expect(guide.split(`   ${create}\n`).length - 1).toBe(2); // the code blocks of step 3 and of the retry
    expect(readme).toContain(create);
  });
});
