// The one option parser of the edgevm command: each command declares its
// options in a table (name, whether it takes a value, what to do with it) and
// this turns argv into calls on that table, with the CLI's one-line usage
// errors. node:util's parseArgs was weighed and not taken: its tokens still
// need this table to give our messages, and its rules for values that start
// with '-' (as in `--stdin -`) differ from the CLI's documented ones.
import { usageError } from "./cli-error.ts";

export interface OptionSpec<T> {
  /** Takes a value (`--name VALUE` or `--name=VALUE`); otherwise a flag that takes none. */
  takesValue: boolean;
  apply(target: T, value: string): void;
}

export interface CommandSyntax<T> {
  options: Record<string, OptionSpec<T>>;
  /** Appended to messages: where to read more. */
  hint: string;
  /** Which arguments are options: "-" (any leading dash but a lone "-") or "--" (a double dash). */
  optionPrefix: "-" | "--";
  /** A positional argument (a file, a snapshot id). */
  positional(target: T, arg: string): void;
  /** The arguments after `--`, when the command takes them (guest arguments). */
  rest?(target: T, args: string[]): void;
}

/** Applies argv to `target`; "help" when -h or --help is among the options. */
export function parseCommand<T>(argv: readonly string[], target: T, syntax: CommandSyntax<T>): T | "help" {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--" && syntax.rest) {
      syntax.rest(target, argv.slice(i + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") return "help";
    const isOption = syntax.optionPrefix === "--" ? arg.startsWith("--") : arg.startsWith("-") && arg !== "-";
    if (!isOption) {
      syntax.positional(target, arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const spec = Object.hasOwn(syntax.options, name) ? syntax.options[name] : undefined;
    if (!spec) throw usageError(`unknown option ${name}${syntax.hint}`);
    if (!spec.takesValue) {
      if (inline !== undefined) throw usageError(`${name} takes no value${syntax.hint}`);
      spec.apply(target, "");
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw usageError(`${name} needs a value${syntax.hint}`);
    }
    spec.apply(target, value);
  }
  return target;
}

// ---- values ---------------------------------------------------------------------

/** Decimal digits, optionally grouped with underscores (10_000_000), from 1 to 2^64 - 1; else undefined. */
export function positiveInteger(text: string): bigint | undefined {
  if (!/^[0-9]+(_[0-9]+)*$/.test(text)) return undefined;
  const n = BigInt(text.replaceAll("_", ""));
  return n > 0n && n < 1n << 64n ? n : undefined;
}

/** A count option's value (--max-insns, --quantum). */
export function countOption(name: string, text: string): bigint {
  const n = positiveInteger(text);
  if (n === undefined) throw usageError(`${name} must be a positive integer, not '${text}'`);
  return n;
}

export function fileOption(name: string, text: string): string {
  if (text === "") throw usageError(`${name} needs a file name`);
  return text;
}
