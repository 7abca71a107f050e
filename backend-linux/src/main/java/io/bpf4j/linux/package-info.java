/**
 * The Linux backend: {@link io.bpf4j.linux.LinuxProvider} and {@link io.bpf4j.linux.LinuxBpf}.
 * Every native call goes through {@code io.bpf4j.linux.internal.sys.Syscalls}; the
 * {@code bpf_attr} layouts are shared with the Windows backend in {@code io.bpf4j.linux.internal.uapi}.
 */
package io.bpf4j.linux;
