// wrangler (and the vitest plugin) import .wasm files as compiled modules.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

// ...and .bin files as their bytes (the example programs, build/examples).
declare module "*.bin" {
  const data: ArrayBuffer;
  export default data;
}
