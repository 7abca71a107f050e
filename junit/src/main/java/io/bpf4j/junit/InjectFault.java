package io.bpf4j.junit;

import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes an operation fail in a {@link BpfTest}'s simulator run, as the kernel would fail it
 * (see {@link io.bpf4j.sim.Faults}): a test of an agent's error handling. A test with faults runs
 * on the simulator only, since the kernel cannot be made to fail on cue.
 *
 * <pre>{@code
 * @BpfTest
 * @InjectFault(operation = Operation.MAP_CREATE, errno = Errno.ENOMEM)
 * void reportsAFullKernel(Bpf bpf) {
 *     assertThrows(BpfException.class, () -> BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 4, 1)));
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(InjectFaults.class)
public @interface InjectFault {
    /**
     * The operation to fail.
     *
     * @return the operation
     */
    Operation operation();

    /**
     * The error it fails with.
     *
     * @return the errno
     */
    Errno errno();

    /**
     * How many calls fail, from the first; 0 for every call.
     *
     * @return the count
     */
    int times() default 1;
}
