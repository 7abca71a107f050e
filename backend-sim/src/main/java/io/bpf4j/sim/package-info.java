/**
 * The simulator backend: an in-memory Linux 6.18 {@code bpf()} for tests, on any OS and JDK 17+,
 * without privileges.
 *
 * <p>{@link io.bpf4j.sim.SimBpf} implements {@link io.bpf4j.api.Bpf} with the kernel's semantics
 * and errnos: descriptors (lowest free number from 3), ids, a virtual bpffs, reference counting
 * (an object lives while a descriptor, pin, link, attachment, program or map slot holds it), the
 * common map types, a structural verifier and an interpreter for programs, cgroup and mprog
 * attach lists, and links. What it does not simulate it reports unsupported in its capabilities
 * with a reason beginning "not simulated", and throws {@link io.bpf4j.api.BpfUnsupportedException}
 * with that reason.
 *
 * <p>{@link io.bpf4j.sim.Simulator} builds configured instances; {@link io.bpf4j.sim.Faults}
 * injects failures that look exactly like kernel failures.
 */
package io.bpf4j.sim;
