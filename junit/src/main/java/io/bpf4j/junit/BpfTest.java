package io.bpf4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs once per backend: on the simulator always, and on the kernel backend of this
 * machine (Linux, or eBPF for Windows) where one is available, each run named after its backend
 * ({@code [sim]}, {@code [linux]}). The test method takes a {@link io.bpf4j.api.Bpf} parameter,
 * opened for the run and closed after it; a {@link io.bpf4j.sim.SimBpf} parameter instead (or
 * {@link InjectFault} annotations) makes the test a simulator-only one. After each run the kit
 * fails the test when it left BPF descriptors open.
 *
 * <pre>{@code
 * class CounterTest {
 *     @BpfTest
 *     void countsPackets(Bpf bpf) {
 *         try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1))) {
 *             TypedMap<Long, Long> counts = TypedMap.of(m, Codecs.u32(), Codecs.u64());
 *             counts.put(0L, 41L);
 *             assertEquals(41L, counts.get(0L));
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Where no kernel backend is available the kernel run is skipped with every provider's reason,
 * unless the system property {@code bpf4j.junit.requireKernel} (or {@code bpf4j.ci}) is
 * {@code true}: then it fails, so a CI machine that should have a kernel cannot pass by skipping.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(BpfBackends.class)
public @interface BpfTest {
    /**
     * Where the test runs: {@link Where#SIMULATOR} and {@link Where#KERNEL} by default.
     *
     * @return the backends
     */
    Where[] value() default {Where.SIMULATOR, Where.KERNEL};

    /**
     * Whether the descriptor-leak check runs after each run (on by default).
     *
     * @return true to check
     */
    boolean checkLeaks() default true;

    /** A kind of backend a test runs on. */
    enum Where {
        /** The simulator ({@code Bpf.open("sim")}), a fresh one per run. */
        SIMULATOR,
        /** The machine's kernel backend ({@code Bpf.open()}). */
        KERNEL
    }
}
