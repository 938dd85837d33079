// Node/V8 flags the extension starts the language server with. Kept apart from the server code so the client and
// the benchmarks start the server exactly the same way.

/**
 * - A small young generation: analyses are short bursts of allocation around one cached parse, so a large young
 *   generation mostly costs resident memory and repeated copying of that parse.
 * - gc() exposed: the server runs one full collection when editing pauses (features/idleMemory.ts), so the garbage
 *   of the last analyses does not stay resident while the editor sits idle.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4', '--expose-gc'];
