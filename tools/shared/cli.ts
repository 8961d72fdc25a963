import { UsageError } from './args';

/** An error class whose message is a complete one-line answer to bad input (printed without a stack trace). */
export type InputErrorClass = abstract new (...args: never[]) => Error;

/**
 * The one shape of every CLI in scripts/: parse argv with parseArgs (tools/shared/args.ts), call the library, print,
 * return the exit code. This runs `main` on the process's arguments and exits with its code. A UsageError or one
 * of `inputErrors` prints `<name>: <message>` and exits 2 (bad input, no stack trace); anything else is a bug and
 * prints the stack, exiting `unexpectedExit`.
 */
export function runCli(
  name: string,
  main: (argv: string[]) => number | Promise<number>,
  inputErrors: readonly InputErrorClass[] = [],
  unexpectedExit = 1,
): void {
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => process.exit(code),
      (err: unknown) => {
        if (err instanceof UsageError || inputErrors.some((cls) => err instanceof cls)) {
          console.error(`${name}: ${(err as Error).message}`);
          process.exit(2);
        }
        console.error(err);
        process.exit(unexpectedExit);
      },
    );
}
