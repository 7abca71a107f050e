/**
 * Probe targets by name: functions and USDT probes of executables and shared libraries
 * ({@link io.bpf4j.api.symbols.Executable}), turned into the file offsets that uprobes take.
 */
package io.bpf4j.api.symbols;
