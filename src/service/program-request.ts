// The two forms a request can bring a program in. JSON: the program and
// files as base64 fields. multipart/form-data, for clients that upload files
// as they are (curl -F program=@hello): a `program` part, an optional
// `request` part holding the other fields as JSON, and one part per guest
// file, named by its absolute guest path. Both give the same ProgramInput.
import type { Context } from "hono";
import { z } from "zod";
import { parseJson, readBody } from "./body.ts";
import { ApiError } from "./errors.ts";
import type { ProgramInput } from "./program.ts";

type WithProgram = z.ZodObject<{ program: z.ZodType } & z.ZodRawShape>;

/**
 * The request's fields with the program (and files) as ProgramInput. A JSON
 * body is checked against `json` (default: `schema`), a multipart body's
 * `request` part against `schema` without its program.
 */
export async function readProgramRequest<S extends WithProgram, J extends z.ZodType = S>(
  c: Context,
  schema: S,
  maxBytes: number,
  json?: J,
): Promise<z.infer<J> | (Omit<z.infer<S>, "program" | "files"> & ProgramInput)> {
  const body = await readBody(c, maxBytes);
  if (body.kind === "json") return (json ?? schema).parse(body.value) as never;
  const form = body.form;
  const programs = form.getAll("program");
  const program = programs[0];
  if (programs.length !== 1 || !(program instanceof File)) {
    throw new ApiError(400, "invalid_request", "a multipart request needs exactly one `program` part holding the ELF file");
  }
  const requests = form.getAll("request");
  if (requests.length > 1) throw new ApiError(400, "invalid_request", "a multipart request has at most one `request` part");
  const request = requests[0] ?? null;
  let fields: unknown = {};
  if (request !== null) {
    const text = typeof request === "string" ? request : await request.text();
    fields = parseJson(text, "the `request` part");
  }
  const parsed = schema.omit({ program: true }).parse(fields) as Record<string, unknown> & { files?: Record<string, string> };
  const files: Record<string, string | Uint8Array> = { ...parsed.files };
  for (const [name, value] of form.entries()) {
    if (name === "program" || name === "request") continue;
    if (!name.startsWith("/")) {
      throw new ApiError(400, "invalid_request", `unknown part ${JSON.stringify(name)}: parts are program, request and files named by their absolute guest path`);
    }
    if (Object.hasOwn(files, name)) throw new ApiError(400, "invalid_file", `file ${JSON.stringify(name)} is given twice`);
    files[name] = typeof value === "string" ? new TextEncoder().encode(value) : new Uint8Array(await value.arrayBuffer());
  }
  return {
    ...parsed,
    program: new Uint8Array(await program.arrayBuffer()),
    ...(Object.keys(files).length > 0 && { files }),
  } as never;
}
