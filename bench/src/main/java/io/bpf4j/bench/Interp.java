package io.bpf4j.bench;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Nanoseconds per executed instruction: the simulator ({@code *Sim}, through
 * {@code Bpf.open("sim")}, its programs compiled to JVM bytecode, in a JVM where a program the
 * compiler declines fails instead of falling back; {@code *SimInterpreter}, the same on its
 * interpreter) beside the kernel's {@code BPF_PROG_TEST_RUN} of the same program
 * ({@code *Kernel}, through {@code Bpf.open("linux")}; JIT-compiled when the kernel's JIT is
 * on). One invocation is one {@code progTestRun} with a repeat count, and
 * {@link OperationsPerInvocation} is repeat times the instructions one run executes
 * (see {@link Programs}), so the score is nanoseconds per instruction, call overhead included
 * but amortised over about a million instructions.
 *
 * <p>The kernel's score is not the kernel's speed: with a repeat count above 1, Linux's XDP test
 * run swaps the program into the XDP dispatcher and back ({@code bpf_prog_change_xdp}), which
 * waits for RCU, milliseconds per call. So every benchmark also adds up what the backend itself
 * reports ({@link TestRunResult#durationNs()}, the average per run, which the kernel measures
 * around its run loop only) in the {@link Clock} counters; the report takes the kernel's
 * figure from there, and the simulator's from the score (what a caller waits for).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class Interp {
    static final String COMPILED = "-Dbpf4j.sim.engine=compiled";
    static final String STRICT = "-Dbpf4j.sim.engine.strict=true";
    static final String INTERPRETER = "-Dbpf4j.sim.engine=interpreter";
    static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    static final int LOOP_REPEAT = 200;
    static final int PARSER_REPEAT = 20_000;
    static final int MAPS_REPEAT = 10_000;

    /** The three programs loaded into one backend, each checked once before it is timed. */
    abstract static class Loaded {
        Bpf bpf;
        int arrayMap = -1;
        final int[] prog = {-1, -1, -1};
        final TestRunSpec[] spec = new TestRunSpec[3];
        final RuntimeException[] failure = new RuntimeException[3];

        void load(String backend) {
            Programs.checkCounts();
            bpf = Bpf.open(backend);
            byte[] packet = Programs.packet();
            long[][] code = new long[3][];
            code[0] = Programs.loop();
            code[1] = Programs.parser();
            int[] repeat = {LOOP_REPEAT, PARSER_REPEAT, MAPS_REPEAT};
            int[] expect = {Programs.XDP_PASS, Programs.XDP_TX, Programs.XDP_PASS};
            for (int i = 0; i < 3; i++) {
                try {
                    if (i == 2) {
                        arrayMap = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, Programs.MAP_ENTRIES).withName("bench_arr"));
                        code[2] = Programs.maps(arrayMap);
                    }
                    prog[i] = bpf.progLoad(ProgramSpec.of(ProgramType.XDP, code[i], "GPL").withName("bench_" + i)).fd();
                    TestRunResult once = bpf.progTestRun(prog[i], TestRunSpec.ofData(packet));
                    if (once.retval() != expect[i]) {
                        throw new IllegalStateException(backend + ": program " + i + " returned " + once.retval()
                                + ", expected " + expect[i] + "; its instruction count would be wrong");
                    }
                    spec[i] = TestRunSpec.ofData(packet).withRepeat(repeat[i]);
                } catch (RuntimeException e) {
                    failure[i] = e;
                }
            }
        }

        TestRunResult run(int i) {
            if (failure[i] != null) throw new IllegalStateException("cannot run program " + i + ": " + failure[i], failure[i]);
            return bpf.progTestRun(prog[i], spec[i]);
        }

        @TearDown(Level.Trial)
        public void unload() {
            if (bpf == null) return;
            for (int fd : prog) if (fd >= 0) bpf.closeFd(fd);
            if (arrayMap >= 0) bpf.closeFd(arrayMap);
            bpf.close();
        }
    }

    /**
     * What the backend reports: {@code reportedNs / insns} is its own nanoseconds per
     * instruction over an iteration. JMH prints both as secondary results.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Clock {
        /** Sum over calls of durationNs times repeat. */
        public long reportedNs;
        /** Sum over calls of instructions executed. */
        public long insns;

        @Setup(Level.Iteration)
        public void clear() {
            reportedNs = 0;
            insns = 0;
        }

        TestRunResult add(TestRunResult r, int repeat, int insnsPerRun) {
            reportedNs += (long) r.durationNs() * repeat;
            insns += (long) repeat * insnsPerRun;
            return r;
        }
    }

    /** The simulator. */
    @State(Scope.Benchmark)
    public static class Sim extends Loaded {
        @Setup(Level.Trial)
        public void setup() {
            load("sim");
        }
    }

    /** The kernel, through the Linux backend. */
    @State(Scope.Benchmark)
    public static class Kernel extends Loaded {
        @Setup(Level.Trial)
        public void setup() {
            load("linux");
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, COMPILED, STRICT})
    @OperationsPerInvocation(LOOP_REPEAT * Programs.LOOP_INSNS)
    public TestRunResult loopSim(Sim s, Clock c) {
        return c.add(s.run(0), LOOP_REPEAT, Programs.LOOP_INSNS);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, INTERPRETER})
    @OperationsPerInvocation(LOOP_REPEAT * Programs.LOOP_INSNS)
    public TestRunResult loopSimInterpreter(Sim s, Clock c) {
        return c.add(s.run(0), LOOP_REPEAT, Programs.LOOP_INSNS);
    }

    @Benchmark
    @OperationsPerInvocation(LOOP_REPEAT * Programs.LOOP_INSNS)
    public TestRunResult loopKernel(Kernel k, Clock c) {
        return c.add(k.run(0), LOOP_REPEAT, Programs.LOOP_INSNS);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, COMPILED, STRICT})
    @OperationsPerInvocation(PARSER_REPEAT * Programs.PARSER_INSNS)
    public TestRunResult parserSim(Sim s, Clock c) {
        return c.add(s.run(1), PARSER_REPEAT, Programs.PARSER_INSNS);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, INTERPRETER})
    @OperationsPerInvocation(PARSER_REPEAT * Programs.PARSER_INSNS)
    public TestRunResult parserSimInterpreter(Sim s, Clock c) {
        return c.add(s.run(1), PARSER_REPEAT, Programs.PARSER_INSNS);
    }

    @Benchmark
    @OperationsPerInvocation(PARSER_REPEAT * Programs.PARSER_INSNS)
    public TestRunResult parserKernel(Kernel k, Clock c) {
        return c.add(k.run(1), PARSER_REPEAT, Programs.PARSER_INSNS);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, COMPILED, STRICT})
    @OperationsPerInvocation(MAPS_REPEAT * Programs.MAPS_INSNS)
    public TestRunResult mapsSim(Sim s, Clock c) {
        return c.add(s.run(2), MAPS_REPEAT, Programs.MAPS_INSNS);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE, INTERPRETER})
    @OperationsPerInvocation(MAPS_REPEAT * Programs.MAPS_INSNS)
    public TestRunResult mapsSimInterpreter(Sim s, Clock c) {
        return c.add(s.run(2), MAPS_REPEAT, Programs.MAPS_INSNS);
    }

    @Benchmark
    @OperationsPerInvocation(MAPS_REPEAT * Programs.MAPS_INSNS)
    public TestRunResult mapsKernel(Kernel k, Clock c) {
        return c.add(k.run(2), MAPS_REPEAT, Programs.MAPS_INSNS);
    }
}
