import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONTROL_TOWER_RULES_DIR, guardFilesUnder, guardRuleFiles, POLICIES_DIR } from '../compliance/guard';

/** One rule file of the Guard rule set: where it lives in the bundle and on disk. */
export interface GuardRuleFile {
  /** Path inside the bundle: `control-tower/<file>.guard` or `tap/<file>.guard`. */
  readonly name: string;
  /** Absolute path of the source file. */
  readonly source: string;
}

/**
 * The Guard rule files the synth gate evaluates for a profile: every Control Tower proactive control the gate has
 * not disabled (the register's disabled rules, by file name) and every project rule in `policies/`.
 *
 * At synth the Control Tower layer runs only the files whose resource types occur in the templates (the others
 * could only SKIP); at deploy time the hook runs them all, because a hand-edited template may add any type.
 */
export function gateGuardRuleSet(
  disabledControlTowerRules: readonly string[],
  dirs: { readonly controlTower?: string; readonly policies?: string } = {},
  /** The project rule files as the gate's Guard plugin runs them (parameterized copies), when not `policies/`. */
  tapRules?: readonly string[],
): GuardRuleFile[] {
  const ct = guardFilesUnder(dirs.controlTower ?? CONTROL_TOWER_RULES_DIR)
    .filter((file) => !disabledControlTowerRules.includes(path.basename(file, '.guard')))
    .map((source) => ({ name: `control-tower/${path.basename(source)}`, source }));
  const tap = (tapRules ?? guardRuleFiles(dirs.policies ?? POLICIES_DIR)).map((source) => ({
    name: `tap/${path.basename(source)}`,
    source,
  }));
  const names = new Set<string>();
  for (const f of [...ct, ...tap]) {
    if (names.has(f.name)) throw new Error(`Guard rule set: two rule files would be bundled as ${f.name}`);
    names.add(f.name);
  }
  return [...ct, ...tap];
}

/** sha256 of each file's content, by bundle name: what the drift test compares. */
export function ruleSetDigest(files: readonly GuardRuleFile[]): Record<string, string> {
  const digest: Record<string, string> = {};
  for (const f of files)
    digest[f.name] = createHash('sha256').update(fs.readFileSync(f.source)).digest('hex');
  return digest;
}

/**
 * Copies the rule set into a staging directory (the Guard Hook's rule bundle, zipped by the asset system).
 * The directory's name is a hash of the names and contents, so the same rules give the same directory and the
 * same asset hash: synthesis stays deterministic.
 */
export function stageRuleSet(files: readonly GuardRuleFile[], root: string = os.tmpdir()): string {
  const digest = ruleSetDigest(files);
  const id = createHash('sha256')
    .update(JSON.stringify(Object.entries(digest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(root, `orderbroker-guard-rules-${id}`);
  if (!fs.existsSync(path.join(dir, '.complete'))) {
    const tmp = fs.mkdtempSync(`${dir}.tmp-`);
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(tmp, f.name)), { recursive: true });
      fs.copyFileSync(f.source, path.join(tmp, f.name));
    }
    fs.writeFileSync(path.join(tmp, '.complete'), '');
    try {
      fs.renameSync(tmp, dir);
    } catch {
      // another process staged the same content first
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return dir;
}

/** The names of the rules a Guard file defines (`rule <name>`), helper rules included. */
export function ruleNamesOf(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/^rule\s+([A-Za-z0-9_]+)/gm)].map((m) => m[1]);
}

/** The rule sets of the deploy-time hooks: their union is the synth gate's Guard rule set. */
export interface GuardHookRuleSets {
  /** Rules with no accepted finding: a FAIL hook runs them, any violation blocks the deployment. */
  readonly enforced: GuardRuleFile[];
  /**
   * Rules the register acknowledges on some resource of the platform stack. Guard has no per-resource
   * acceptance, so at deploy time they run in a WARN hook (reported, not blocking); synth still blocks any new
   * violation of them.
   */
  readonly advisory: GuardRuleFile[];
}

/** Splits the gate's rule set by the Guard rule names the register acknowledges for the profile. */
export function guardHookRuleSets(
  files: readonly GuardRuleFile[],
  acknowledgedRuleNames: ReadonlySet<string>,
): GuardHookRuleSets {
  const enforced: GuardRuleFile[] = [];
  const advisory: GuardRuleFile[] = [];
  for (const f of files) {
    (ruleNamesOf(f.source).some((n) => acknowledgedRuleNames.has(n)) ? advisory : enforced).push(f);
  }
  return { enforced, advisory };
}
