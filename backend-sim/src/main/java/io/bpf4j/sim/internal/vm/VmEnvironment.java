package io.bpf4j.sim.internal.vm;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What a {@link Vm}'s helpers see of the world outside the program: the CPU, the current task,
 * the clocks, the random source, the trace log and the attach cookie. Set once per {@code Vm}
 * (a hook or a test run configures it), read by helpers through {@link Vm#env()}; like the
 * {@code Vm}, not thread-safe.
 */
public final class VmEnvironment {
    private int cpu;
    private TaskIdentity task = TaskIdentity.ofThisProcess();
    private LongSupplier monotonicClock = System::nanoTime;
    private LongSupplier bootClock = System::nanoTime;
    private IntSupplier random = () -> ThreadLocalRandom.current().nextInt();
    private TraceLog traceLog = new TraceLog();
    private long attachCookie;

    VmEnvironment() {
    }

    /**
     * Sets the CPU programs run on ({@code bpf_get_smp_processor_id}, per-CPU maps).
     *
     * @param cpuId the CPU number
     * @return this environment
     */
    public VmEnvironment cpu(int cpuId) {
        if (cpuId < 0) {
            throw new IllegalArgumentException("cpuId: " + cpuId + " is negative");
        }
        this.cpu = cpuId;
        return this;
    }

    /**
     * Sets the current task the task helpers report.
     *
     * @param identity the task
     * @return this environment
     */
    public VmEnvironment task(TaskIdentity identity) {
        this.task = Objects.requireNonNull(identity, "identity");
        return this;
    }

    /**
     * Sets the clocks of {@code bpf_ktime_get_ns} and {@code bpf_ktime_get_boot_ns}.
     *
     * @param monotonic nanoseconds of {@code CLOCK_MONOTONIC}
     * @param boot nanoseconds of {@code CLOCK_BOOTTIME}
     * @return this environment
     */
    public VmEnvironment clocks(LongSupplier monotonic, LongSupplier boot) {
        this.monotonicClock = Objects.requireNonNull(monotonic, "monotonic");
        this.bootClock = Objects.requireNonNull(boot, "boot");
        return this;
    }

    /**
     * Sets the source of {@code bpf_get_prandom_u32}.
     *
     * @param source returns 32 random bits per call
     * @return this environment
     */
    public VmEnvironment random(IntSupplier source) {
        this.random = Objects.requireNonNull(source, "source");
        return this;
    }

    /**
     * Sets where {@code bpf_trace_printk} writes.
     *
     * @param log the log
     * @return this environment
     */
    public VmEnvironment traceLog(TraceLog log) {
        this.traceLog = Objects.requireNonNull(log, "log");
        return this;
    }

    /**
     * Sets what {@code bpf_get_attach_cookie} returns: the cookie of the link or perf event the
     * program runs through. It stays set for later runs; 0 (the default) is what the kernel
     * returns for a program run without a cookie, as in a test run.
     *
     * @param cookie the cookie
     * @return this environment
     */
    public VmEnvironment attachCookie(long cookie) {
        this.attachCookie = cookie;
        return this;
    }

    /**
     * The CPU the program runs on.
     *
     * @return the CPU number
     */
    public int cpu() {
        return cpu;
    }

    /**
     * The current task.
     *
     * @return the task identity
     */
    public TaskIdentity task() {
        return task;
    }

    /**
     * {@code CLOCK_MONOTONIC} in nanoseconds.
     *
     * @return the clock's value
     */
    public long monotonicNanos() {
        return monotonicClock.getAsLong();
    }

    /**
     * {@code CLOCK_BOOTTIME} in nanoseconds.
     *
     * @return the clock's value
     */
    public long bootNanos() {
        return bootClock.getAsLong();
    }

    /**
     * 32 random bits.
     *
     * @return the next value of the random source
     */
    public int random32() {
        return random.getAsInt();
    }

    /**
     * The attach cookie of the current run.
     *
     * @return what {@code bpf_get_attach_cookie} returns
     */
    public long attachCookie() {
        return attachCookie;
    }

    /**
     * The trace log.
     *
     * @return where {@code bpf_trace_printk} writes
     */
    public TraceLog traceLog() {
        return traceLog;
    }
}
