/**
 * bpf4j's portable API: one interface to eBPF on Linux, on eBPF for Windows and in an
 * in-memory simulator.
 *
 * <h2>Two layers</h2>
 * <ul>
 *   <li>{@link io.bpf4j.api.Bpf} is the syscall surface: one method per {@code bpf()} command,
 *       typed with records ({@link io.bpf4j.api.MapSpec}, {@link io.bpf4j.api.ProgramSpec},
 *       {@link io.bpf4j.api.LinkSpec} ...) and enums named as in the Linux uapi. Backends
 *       implement it; descriptors are plain {@code int}s the caller owns.</li>
 *   <li>The object layer, written once on top of {@code Bpf}: {@link io.bpf4j.api.BpfMap},
 *       {@link io.bpf4j.api.BpfProgram}, {@link io.bpf4j.api.BpfLink} and
 *       {@link io.bpf4j.api.BpfBtf} own their descriptors, so it behaves the same on every
 *       backend.</li>
 * </ul>
 *
 * <h2>Choosing a backend</h2>
 * {@link io.bpf4j.api.Bpf#open()} opens the best available kernel backend and never the
 * simulator on its own; {@link io.bpf4j.api.Bpf#open(String)}, {@code -Dbpf4j.backend=NAME} or
 * {@code BPF4J_BACKEND=NAME} choose by name. Backends are {@link io.bpf4j.api.BpfProvider}s
 * found with {@link java.util.ServiceLoader}; each explains its
 * {@link io.bpf4j.api.Availability}.
 *
 * <h2>Capabilities</h2>
 * {@link io.bpf4j.api.Bpf#capabilities()} reports every operation, map type, program type,
 * attach type and link type as supported or not, with the reason. The report is a promise:
 * what it calls supported works, and what it does not throws
 * {@link io.bpf4j.api.BpfUnsupportedException} with the same reason, before any native call
 * when the backend never has it. An entry a backend could not decide this time (its probe ran
 * out of descriptors or memory, or was interrupted) is {@linkplain io.bpf4j.api.Support#known()
 * unknown}: the operation is attempted and fails, if at all, with the platform's own error, and
 * it is probed again later.
 *
 * <h2>Errors</h2>
 * <ul>
 *   <li>Bad input (wrong key or value size, a closed handle, an over-long name, unknown flags)
 *       throws {@link java.lang.IllegalArgumentException} or
 *       {@link java.lang.IllegalStateException} naming the parameter, before any native call.</li>
 *   <li>A failed command throws {@link io.bpf4j.api.BpfException} with the operation, the
 *       backend, the portable {@link io.bpf4j.api.Errno} and the platform's raw number; a
 *       failed system call that is no {@code bpf()} command ({@code close}, {@code read},
 *       {@code perf_event_open}, ...) is named by that call and has no operation;
 *       {@link io.bpf4j.api.VerifierException} carries the verifier's whole log.</li>
 *   <li>Expected outcomes are values: a missing key is {@code false} or an empty
 *       {@link java.util.Optional}, a delete of a missing key returns {@code false}.</li>
 * </ul>
 *
 * <h2>Lifetimes</h2>
 * Every handle owns exactly one descriptor, closes it exactly once and has a
 * {@link java.lang.ref.Cleaner} only as a safety net. A kernel object outlives its descriptors
 * only while something else holds it: a pin, an attachment, a link, a program using a map.
 * <ul>
 *   <li>A call through a handle holds its descriptor open until it returns; {@code close()}
 *       waits for such calls and then closes, throwing if the platform's close fails. Calls
 *       after that throw {@link java.lang.IllegalStateException}. So a call never lands on
 *       another object that was given the same descriptor number.</li>
 *   <li>Descriptor numbers are reused as soon as they are closed, by any code in the process.
 *       The map element and batch commands of {@link io.bpf4j.api.Bpf} on a bare number
 *       therefore read the map's layout from the kernel on every call, through a private
 *       duplicate of the descriptor that the command then uses; {@link io.bpf4j.api.BpfMap}
 *       knows its layout and makes one native call. No buffer handed to the kernel is ever
 *       sized from what a number meant earlier.</li>
 *   <li>{@link io.bpf4j.api.Bpf#close()} frees the backend's native scratch; calls in progress
 *       finish normally on the memory they started with. It closes no descriptor: handles still close theirs, on
 *       {@code close()} or through their cleaner, because
 *       {@link io.bpf4j.api.Bpf#closeFd(int)} keeps working on a closed backend.</li>
 * </ul>
 */
package io.bpf4j.api;
