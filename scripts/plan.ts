#!/usr/bin/env node
/**
 * `npm run plan`: synthesizes every profile, computes the capacity, timing and cost plan from the templates
 * and writes reports/plan.md, reports/plan.json, reports/capacity.svg and one day-simulation chart per profile,
 * reports/day-<profile>.svg (and nothing else).
 *
 *   npm run plan                         all profiles, into reports/
 *   npm run plan -- --out /tmp/x         another directory
 *   npm run plan -- --profiles dev       a subset of profiles
 *
 * Exit codes: 0 all checks pass; 1 a check fails (the files are still written, so the failure can be read);
 * 2 bad arguments or a template the plan cannot read.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../lib/config/resolve-config';
import { DEFAULT_PROFILE, PROFILES } from '../lib/config/profiles';
import { REPO_ROOT } from '../tools/shared/repo';
import { AssumptionsError, loadAssumptions } from '../tools/plan/assumptions';
import { PlanInputError } from '../tools/plan/cfn';
import { chartSpec, renderSvg } from '../tools/plan/chart';
import { DayAssumptionsError } from '../tools/plan/day-assumptions';
import { dayChartSpec } from '../tools/plan/day-chart';
import { daySimulationLine } from '../tools/plan/day-markdown';
import { stableJson } from '../tools/plan/json';
import { renderMarkdown } from '../tools/plan/markdown';
import { PLAN_FILES, buildReport, computeProfilePlan, dayChartFile, failingChecks } from '../tools/plan/plan';
import { ScheduleError } from '../tools/schedule/schedule-expression';
import { synthesizeStack } from '../tools/plan/synth';
import { optionsOnly, parseArgs, profilesOption, stringOption } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';

async function main(argv: string[]): Promise<number> {
  const parsed = optionsOnly(parseArgs(argv, ['out', 'profiles']));
  const options = {
    out: path.resolve(stringOption(parsed, 'out', path.join(REPO_ROOT, 'reports'))!),
    profiles: profilesOption(parsed, Object.keys(PROFILES)),
  };
  const assumptions = loadAssumptions();
  const plans = options.profiles.map((profile) => {
    const { stackName, template } = synthesizeStack(profile);
    return computeProfilePlan(template, assumptions, profile, stackName);
  });
  const defaultProfile = options.profiles.includes(DEFAULT_PROFILE) ? DEFAULT_PROFILE : options.profiles[0];
  const report = buildReport(plans, assumptions, defaultProfile);
  const svg = await renderSvg(chartSpec(report));
  fs.mkdirSync(options.out, { recursive: true });
  const contents: Record<(typeof PLAN_FILES)[number], string> = {
    'plan.md': renderMarkdown(report, assumptions),
    'plan.json': stableJson(report),
    'capacity.svg': svg,
  };
  for (const file of PLAN_FILES) fs.writeFileSync(path.join(options.out, file), contents[file]);
  for (const p of report.profiles) {
    const daySvg = await renderSvg(dayChartSpec(p.profile, p.daySimulation));
    fs.writeFileSync(path.join(options.out, dayChartFile(p.profile)), daySvg);
  }
  const written = [...PLAN_FILES, ...report.profiles.map((p) => dayChartFile(p.profile))];
  const where = path.relative(process.cwd(), options.out) || '.';
  console.log(`plan: wrote ${written.map((f) => path.join(where, f)).join(', ')}`);
  for (const p of report.profiles) console.log(`plan: ${daySimulationLine(p.profile, p.daySimulation)}`);
  const failing = failingChecks(report);
  for (const line of failing) console.error(`plan: FAIL ${line}`);
  if (failing.length === 0) console.log(`plan: all checks pass (${options.profiles.join(', ')})`);
  return failing.length === 0 ? 0 : 1;
}

runCli('plan', main, [ConfigError, PlanInputError, ScheduleError, AssumptionsError, DayAssumptionsError], 2);
