// ts-rs types Rust's i64 as `bigint`, but the IPC carries JSON, where every number is a plain
// `number`. Wire<T> is a generated type as it actually arrives (and as inputs must be sent).

export type Wire<T> = T extends bigint
  ? number
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T
