/**
 * The simulator's verifier: abstract interpretation of a program's paths after the kernel's
 * {@code kernel/bpf/verifier.c} (Linux 6.18), refusing what the kernel refuses with its errno and
 * wording, and accepting, with an {@code unverified:} note, what it cannot judge.
 */
package io.bpf4j.sim.internal.verifier;
