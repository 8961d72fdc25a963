import { spawn } from 'node:child_process';
import { REPO_ROOT } from './repo';

/** Runs a command (the CDK CLI) with its output shown to the SRE; resolves to its exit code. */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<number>;

/** Runs a command in the repository with the terminal attached; 127 when it cannot start. */
export const spawnRunner: CommandRunner = (command, args) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(127));
    child.on('close', (code) => resolve(code ?? 1));
  });
