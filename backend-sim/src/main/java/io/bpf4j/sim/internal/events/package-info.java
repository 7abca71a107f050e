/**
 * The simulator's event rings: ring buffer memory and BPF output perf events kept in the kernel's
 * byte layout, so the api's readers read them exactly as they read Linux's mappings, and the
 * waiter that blocks a reader until a program wrote something.
 */
package io.bpf4j.sim.internal.events;
