// One walk over the machine state serves saving, loading and measuring, so
// they can never disagree on the layout: each field is written `x = field(x)`.
export const MODE_SAVE: u32 = 0;
export const MODE_LOAD: u32 = 1;
export const MODE_MEASURE: u32 = 2;

export let cursor: usize = 0;
let mode: u32 = MODE_SAVE;

export function beginState(at: usize, m: u32): void {
  cursor = at;
  mode = m;
}

export function field(v: u64): u64 {
  let value = v;
  if (mode == MODE_LOAD) value = load<u64>(cursor);
  else if (mode == MODE_SAVE) store<u64>(cursor, v);
  cursor += 8;
  return value;
}

export function stateLoading(): bool {
  return mode == MODE_LOAD;
}
