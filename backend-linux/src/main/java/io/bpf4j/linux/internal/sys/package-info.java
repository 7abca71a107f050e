/**
 * The native chokepoint: {@link io.bpf4j.linux.internal.sys.Syscalls} and its FFM (JDK 22+,
 * in {@code src/main/java22}) and JNA implementations, chosen by
 * {@link io.bpf4j.linux.internal.sys.NativeBinding}. Nothing else in the backend calls native
 * code.
 */
package io.bpf4j.linux.internal.sys;
