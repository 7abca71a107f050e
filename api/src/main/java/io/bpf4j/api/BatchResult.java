package io.bpf4j.api;

/**
 * Output of a lookup batch: how many elements were copied, and whether the walk is over.
 *
 * @param count elements copied into the key and value buffers
 * @param done true when the kernel reported the end of the map (ENOENT); the elements counted
 *     are still valid
 */
public record BatchResult(int count, boolean done) {
}
