package io.bpf4j.sim.internal.vm;

/**
 * A helper function the interpreter can call: {@code r0 = helper(r1, r2, r3, r4, r5)}.
 *
 * <p>A helper reaches the program's memory, maps and environment only through the
 * {@link Vm} it is given, whose accessors check every pointer; it reports a bad argument the
 * verifier would have caught by throwing {@link VmException}, and an expected failure by
 * returning a negative errno as the kernel's helper does.
 */
@FunctionalInterface
public interface VmHelper {
    /**
     * Runs the helper.
     *
     * @param vm the running interpreter, for memory, maps and environment
     * @param r1 the first argument
     * @param r2 the second argument
     * @param r3 the third argument
     * @param r4 the fourth argument
     * @param r5 the fifth argument
     * @return the value for {@code r0}
     */
    long call(Vm vm, long r1, long r2, long r3, long r4, long r5);
}
