/**
 * A JUnit 5 kit for testing eBPF agent code: {@link io.bpf4j.junit.BpfTest} runs a test on the
 * simulator and on the kernel, {@link io.bpf4j.junit.InjectFault} makes the simulator fail chosen
 * operations, and every run is checked for leaked descriptors.
 */
package io.bpf4j.junit;
