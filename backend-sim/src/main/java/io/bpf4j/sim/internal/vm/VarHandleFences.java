package io.bpf4j.sim.internal.vm;

import java.lang.invoke.VarHandle;

/** The memory fences of load-acquire and store-release. */
final class VarHandleFences {
    private VarHandleFences() {}

    static void acquire() {
        VarHandle.acquireFence();
    }

    static void release() {
        VarHandle.releaseFence();
    }
}
