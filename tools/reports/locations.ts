import * as path from 'path';
import type { ProfileAssembly } from './assembly';

/** A line of the repository's TypeScript. */
export interface SourceLocation {
  /** Repository-relative POSIX path, e.g. `lib/constructs/network.ts`. */
  readonly uri: string;
  readonly line: number;
  readonly column: number;
  /** The function on that line, as the stack trace names it (`new Network`). */
  readonly function?: string;
}

/** Where a construct was defined in the repository's code. */
export interface ConstructSource {
  /** The innermost frame in the repository: the line that created the resource (or its nearest relative). */
  readonly location: SourceLocation;
  /** The repository frames of the creation stack, innermost first, without the app's entry point. */
  readonly frames: readonly SourceLocation[];
  /** The construct whose creation stack gave the location, when it is not the construct itself. */
  readonly via?: string;
}

const FRAME = /^(?:at )?(.*?)\s*\((.+):(\d+):(\d+)\)$/;

/**
 * A stack-trace line (`new Network (/abs/repo/lib/constructs/network.ts:53:17)`) as a repository location, or
 * undefined when the frame is outside `root` (library code, node internals) or unparsable.
 */
export function parseFrame(frame: string, root: string): SourceLocation | undefined {
  const m = FRAME.exec(frame.trim());
  if (!m) return undefined;
  const [, fn, file, line, column] = m;
  if (!path.isAbsolute(file)) return undefined;
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const uri = rel.split(path.sep).join('/');
  if (uri.split('/').includes('node_modules')) return undefined;
  return { uri, line: Number(line), column: Number(column), function: fn || undefined };
}

/** The repository frames of a creation stack, innermost first. */
export function repositoryFrames(trace: readonly string[], root: string): SourceLocation[] {
  return trace.map((f) => parseFrame(f, root)).filter((l): l is SourceLocation => l !== undefined);
}

/** Frames of the app's entry point (`bin/`, `lib/app.ts`): the same under every resource, so not worth listing. */
export function isEntryPointFrame(frame: SourceLocation): boolean {
  return frame.uri.startsWith('bin/') || frame.uri === 'lib/app.ts';
}

/**
 * The TypeScript line that defined a construct, from the `aws:cdk:creationStack` metadata of the cloud assembly.
 *
 * CDK records creation stacks on CloudFormation resources, keeping only 10 frames: a resource created deep inside
 * aws-cdk-lib (a VPC's subnet route) may have no repository frame. Then the nearest relative is used: first the
 * construct's own resources (an L2's `Resource`), then, going up the construct tree, the first resource under each
 * ancestor (in path order) whose stack reaches the repository: the line that created the enclosing L2 (the VPC).
 * The stack's own creation stack is not used (it names `new TapStack`, not the resource). Undefined when nothing
 * below the stack reaches the repository: the reports then point at the resource in the template.
 */
export function constructSource(
  assembly: ProfileAssembly,
  constructPath: string,
  root: string,
): ConstructSource | undefined {
  const paths = [...assembly.creationStacks.keys()].sort();
  const framesOf = (p: string) => repositoryFrames(assembly.creationStacks.get(p) ?? [], root);
  const result = (frames: SourceLocation[], via?: string): ConstructSource => {
    const inner = frames.filter((f) => !isEntryPointFrame(f));
    return { location: frames[0], frames: inner.length > 0 ? inner : frames.slice(0, 1), ...(via ? { via } : {}) };
  };
  const firstUnder = (prefix: string): { path: string; frames: SourceLocation[] } | undefined => {
    for (const p of paths) {
      if (p !== prefix && !p.startsWith(`${prefix}/`)) continue;
      const frames = framesOf(p);
      if (frames.length > 0) return { path: p, frames };
    }
    return undefined;
  };
  const own = framesOf(constructPath);
  if (own.length > 0) return result(own);
  const segments = constructPath.split('/');
  for (let n = segments.length; n >= 2; n--) {
    const found = firstUnder(segments.slice(0, n).join('/'));
    if (found) return result(found.frames, found.path);
  }
  return undefined;
}
