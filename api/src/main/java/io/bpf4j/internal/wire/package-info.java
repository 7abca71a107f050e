/**
 * The Linux {@code union bpf_attr} wire format and uapi numbers, shared by the native backends
 * (Linux's raw {@code bpf()} and eBPF for Windows' Linux-ABI {@code bpf()} export). Internal:
 * exported only to the backends.
 */
package io.bpf4j.internal.wire;
