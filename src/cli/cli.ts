// The edgevm command: parses arguments, runs the command, turns every error
// into one line on stderr and an exit status (never a stack trace).
import { parseArgs, USAGE } from "./args.ts";
import { CliError, ExitStatus } from "./cli-error.ts";
import { runCommand, type CliIo } from "./run-command.ts";

export interface CliEnv extends CliIo {
  /** Free text for --help (the usage is printed as is). */
  print(text: string): void;
  /** Show stack traces of internal errors (EDGEVM_DEBUG=1). */
  debug?: boolean;
}

export async function cli(argv: readonly string[], env: CliEnv): Promise<number> {
  try {
    const args = parseArgs(argv);
    switch (args.command) {
      case "help":
        env.print(USAGE);
        return 0;
      case "run":
        return await runCommand(args, env);
    }
  } catch (e) {
    if (e instanceof CliError) {
      env.stderr(`edgevm: ${oneLine(e.message)}`);
      return e.status;
    }
    const message = e instanceof Error ? e.message : String(e);
    env.stderr(`edgevm: internal error: ${oneLine(message)}`);
    if (env.debug && e instanceof Error && e.stack) env.stderr(e.stack);
    return ExitStatus.Failure;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
