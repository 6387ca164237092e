// The edgevm command: parses arguments, runs the command, turns every error
// into one line on stderr and an exit status (never a stack trace).
import { concatBytes } from "../vm/bytes.ts";
import { parseArgs } from "./args.ts";
import { CliError, ExitStatus } from "./cli-error.ts";
import type { CliIo } from "./cli-io.ts";
import { asCommand } from "./as-command.ts";
import { runCommand } from "./run-command.ts";
import { resumeCommand } from "./snapshot-run.ts";
import { importCommand } from "./import-command.ts";

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
        env.print(args.usage);
        return 0;
      case "run":
        return await runCommand(args, env);
      case "resume":
        return await resumeCommand(args, env, env.readStdin && (() => readAll(env.readStdin!)));
      case "import":
        return await importCommand(args, env);
      case "as":
        return await asCommand(args, env);
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

// All of edgevm's stdin, for `resume --stdin -`.
async function readAll(read: () => Promise<Uint8Array | null>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let chunk = await read(); chunk !== null; chunk = await read()) chunks.push(chunk);
  return concatBytes(chunks);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
