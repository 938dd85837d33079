// Node/V8 flags and environment the extension starts the language server with. Kept apart from the server code so
// the client and the benchmarks start the server exactly the same way.

/**
 * - A small young generation: analyses are short bursts of allocation around one cached parse, so a large young
 *   generation mostly costs resident memory and repeated copying of that parse.
 * - gc() exposed: the server runs full collections when editing pauses (features/idleMemory.ts), so the garbage
 *   of the last analyses does not stay resident while the editor sits idle.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4', '--expose-gc'];

/**
 * Added to the server's environment. glibc's allocator (Linux) raises its trim threshold each time a large block is
 * freed, after which the memory that parsing and compiling the server's code freed stays in the process (16 MB of a
 * 75 MB server); a fixed threshold (glibc's own default, 128 KB) hands it back to the system. Other C libraries and
 * platforms ignore the variable.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_TRIM_THRESHOLD_: String(128 * 1024) };
