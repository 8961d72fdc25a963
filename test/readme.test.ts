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
