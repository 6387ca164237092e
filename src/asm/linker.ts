import type { DiagnosticList } from "./diagnostics.ts";
import type { ObjectFile } from "./object.ts";
export interface LinkOptions { rvc?: boolean }
export function link(_objects: ObjectFile[], _o: LinkOptions, _d: DiagnosticList): Uint8Array | null { return null; }
