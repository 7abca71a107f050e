/**
 * The input rules every backend applies before any native call, written once (DESIGN.md,
 * "Errors and lifetimes"): each is a static method that throws an
 * {@link java.lang.IllegalArgumentException} naming the parameter, so bad input is rejected the
 * same way on Linux, on Windows and in the simulator, and never becomes an errno on one backend
 * and an exception on another. What the rules accept goes on to the kernel (or the simulated
 * one), whose refusals are {@link io.bpf4j.api.BpfException}s with its errno. A backend may add
 * rules of its own platform after these (eBPF for Windows takes no map flags, for example), but
 * never relaxes one.
 *
 * <p>Internal: exported only to the backends.
 */
package io.bpf4j.internal.rules;
