import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../shared/repo';

/** Root of the repository. */
export { REPO_ROOT };

/**
 * What a synthesis reads from the repository: the app and its constructs, the project rules, the Guard rules,
 * the Lambda sources it bundles, the feature flags and the locked library versions. When any of these changes,
 * `cdk.out` (templates and validation reports) no longer describes the tree.
 */
export const SYNTH_INPUTS: { readonly dirs: readonly string[]; readonly files: readonly string[] } = {
  dirs: ['aspects', 'bin', 'lambda', 'lib', 'policies'],
  files: ['cdk.json', 'package-lock.json', 'tsconfig.json'],
};

/** The sources a cloud assembly was synthesized from: one SHA-256 per file and one over all of them. */
export interface SourceFingerprint {
  /** SHA-256 over every `path\0sha256\n` line, in path order. */
  readonly digest: string;
  /** Repository-relative POSIX path -> SHA-256 of the file's bytes. */
  readonly files: Readonly<Record<string, string>>;
}

/** What differs between the sources a cloud assembly was built from and the tree. */
export interface FingerprintDiff {
  readonly changed: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The fingerprint of the synthesis inputs under `root` (hidden files and node_modules are not inputs). */
export function fingerprintSources(root: string = REPO_ROOT, inputs = SYNTH_INPUTS): SourceFingerprint {
  const files: string[] = [];
  const walk = (rel: string) => {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isFile()) {
      files.push(rel);
      return;
    }
    for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      walk(path.posix.join(rel, entry.name));
    }
  };
  for (const dir of inputs.dirs) walk(dir);
  for (const file of inputs.files) walk(file);
  files.sort();
  const hashes: Record<string, string> = {};
  for (const file of files) hashes[file] = sha256(fs.readFileSync(path.join(root, file)));
  return {
    digest: sha256(files.map((f) => `${f}\0${hashes[f]}\n`).join('')),
    files: hashes,
  };
}

/** The files that differ between `built` (what cdk.out was synthesized from) and `current` (the tree). */
export function diffFingerprints(built: SourceFingerprint, current: SourceFingerprint): FingerprintDiff {
  const before = Object.keys(built.files);
  const after = Object.keys(current.files);
  return {
    changed: after.filter((f) => f in built.files && built.files[f] !== current.files[f]),
    added: after.filter((f) => !(f in built.files)),
    removed: before.filter((f) => !(f in current.files)),
  };
}

/** One line per difference, at most `limit` lines, for error messages. */
export function describeDiff(diff: FingerprintDiff, limit = 10): string[] {
  const lines = [
    ...diff.changed.map((f) => `changed: ${f}`),
    ...diff.added.map((f) => `added:   ${f}`),
    ...diff.removed.map((f) => `removed: ${f}`),
  ];
  return lines.length > limit ? [...lines.slice(0, limit), `... and ${lines.length - limit} more`] : lines;
}

/** SHA-256 of a file's bytes. */
export function sha256File(file: string): string {
  return sha256(fs.readFileSync(file));
}

/** Directory of the cloud assemblies, relative to the repository: one per profile, `cdk.out/<profile>`. */
export const CDK_OUT = 'cdk.out';
/** File `npm run synth:all` writes in each assembly: the fingerprint of the sources it was synthesized from. */
export const SYNTH_STAMP = 'synth-inputs.json';

/** Contents of {@link SYNTH_STAMP}. */
export interface SynthStamp {
  readonly profile: string;
  /** The command that produced the assembly. */
  readonly command: string;
  readonly sources: SourceFingerprint;
}

/** The `cdk synth` arguments that synthesize one profile with the full gate into `cdk.out/<profile>`. */
export function synthArgs(profile: string): string[] {
  return ['synth', '--quiet', '-c', `profile=${profile}`, '-o', `${CDK_OUT}/${profile}`];
}
