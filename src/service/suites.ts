// Stored suites: content-addressed (the id is the SHA-256 of the suite's
// JSON with defaults applied and keys sorted, src/grade/run.ts suiteId) and
// immutable, in the snapshot bucket under grade/. Who stored a suite is kept
// beside it, one marker per owner: only owners see hidden tests.
import { parseSuite, suiteId, GradeError, type Suite } from "../grade/index.ts";
import { stableJson } from "../grade/ids.ts";
import { SnapshotError } from "../snapshot/index.ts";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";
import type { GradeConfig } from "./grade-config.ts";

const suiteKey = (id: string) => `grade/suites/${id}`;
const ownerKey = (id: string, owner: string) => `grade/suite-owners/${id}/${owner}`;

/** A suite from a request, checked against the service's limits; every problem is a 400 with grading's own code. */
export function checkSuite(value: unknown, config: GradeConfig): Suite {
  return gradeErrors(() =>
    parseSuite(value, { maxInstructionsPerTest: config.service.maxInstructionsPerRequest, maxRamMiB: config.service.guestMemoryMiB }),
  );
}

export async function storeSuite(env: Env, owner: string, suite: Suite): Promise<{ id: string; created: boolean }> {
  const id = await suiteId(suite);
  const created = (await bucket(() => env.SNAPSHOTS.head(suiteKey(id)))) === null;
  if (created) await bucket(() => env.SNAPSHOTS.put(suiteKey(id), stableJson(suite)));
  await bucket(() => env.SNAPSHOTS.put(ownerKey(id, owner), ""));
  return { id, created };
}

/** The stored suite and whether `owner` stored it; 404 suite_not_found when there is none. */
export async function loadSuite(env: Env, id: string, owner: string): Promise<{ suite: Suite; owned: boolean }> {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new ApiError(404, "suite_not_found", `${JSON.stringify(id)} is not a suite id`);
  const [object, mark] = await Promise.all([bucket(() => env.SNAPSHOTS.get(suiteKey(id))), bucket(() => env.SNAPSHOTS.head(ownerKey(id, owner)))]);
  if (!object) throw new ApiError(404, "suite_not_found", `no suite ${id}`);
  // Stored suites were checked when stored; parsing again only restores defaults and types.
  const suite = parseSuite(JSON.parse(await object.text()));
  return { suite, owned: mark !== null };
}

export function gradeErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw toApiError(e);
  }
}

/** Grading's errors as API errors; a store that failed under a run is 502 store_failure (the snapshot layer's own code). */
export function toApiError(e: unknown): unknown {
  if (e instanceof SnapshotError && e.code === "store-failure") return new ApiError(502, "store_failure", e.message);
  if (!(e instanceof GradeError)) return e;
  const status = e.code === "suite_too_large" ? 413 : e.code === "unsupported_submission" ? 422 : 400;
  return new ApiError(status, e.code, e.message, e.details);
}

async function bucket<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new ApiError(502, "store_failure", `R2 failed: ${(e as Error).message}`);
  }
}
