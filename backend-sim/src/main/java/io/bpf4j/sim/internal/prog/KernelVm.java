package io.bpf4j.sim.internal.prog;

import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.vm.TraceLog;
import io.bpf4j.sim.internal.vm.Vm;

/**
 * Interpreters wired to one simulated kernel: its boot clock and its one {@code trace_pipe}, so
 * that {@code bpf_trace_printk} from test runs and from attached programs lands in the same log.
 */
public final class KernelVm {
    private KernelVm() {
    }

    /**
     * The kernel's trace log.
     *
     * @param k the kernel
     * @return the log {@code bpf_trace_printk} writes to
     */
    public static TraceLog traceLog(Kernel k) {
        return k.subsystem(TraceLog.class, TraceLog::new);
    }

    /**
     * A new interpreter for one run or one event.
     *
     * @param k the kernel
     * @param cpu the CPU the programs run on
     * @return the interpreter
     */
    public static Vm create(Kernel k, int cpu) {
        Vm vm = new Vm();
        vm.env().cpu(cpu).clocks(System::nanoTime, k::bootTimeNs).traceLog(traceLog(k));
        return vm;
    }
}
