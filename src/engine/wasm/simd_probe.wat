;; The smallest module that uses WebAssembly SIMD: WebAssembly.validate() of its bytes tells whether this runtime
;; has SIMD (wasm_kernels.ts checks it before compiling cpu_kernels.wat). Built by `npm run build:wasm`.
(module
  (func (result v128)
    (i32x4.splat (i32.const 0))))
