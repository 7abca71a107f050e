package io.bpf4j.bench;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Register;
import io.bpf4j.api.events.EventRecord;
import io.bpf4j.api.events.PerfBufferOptions;
import io.bpf4j.api.events.PerfBufferReader;
import io.bpf4j.api.events.RingBufferReader;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.time.Duration;
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
 * Records consumed per second by bpf4j's readers beside libbpf's ({@code ring_buffer__poll},
 * {@code perf_buffer__poll}), on the same producer in the same run. Each invocation is a pair:
 * a program run with {@code BPF_PROG_TEST_RUN} and a repeat count writes {@link #N} 8-byte
 * records (not timed), then one side reads them all (timed); then the same for the other side,
 * alternating which goes first. Both sides' handlers read each record's 8 bytes. Counters:
 * {@code javaNs/javaOps}, {@code cNs/cOps} (nanoseconds per record) and {@code javaBytes}, what
 * the Java reading allocated, from the thread's allocation counter. The nanoseconds are the
 * reading thread's CPU time ({@code CLOCK_THREAD_CPUTIME_ID}), not wall time: on a machine
 * shared with other work, wall time also counts whatever ran while the reader was preempted,
 * which swung the same-run ratio over 0.2..1.5x; both sides pay the clock's system call alike.
 *
 * <p>The ring buffer is one map that both readers map (each reads the consumer position afresh);
 * perf buffers cannot share an array (each stores its own events in it), so each side has an
 * array and a copy of the program.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EventOps {
    /** Records per side per invocation. */
    public static final int N = 8192;
    private static final long CURRENT_CPU = 0xffffffffL;
    private static final byte[] PACKET = new byte[64];

    /** The time and allocation of each side, as {@link Pair} keeps them. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Drain {
        public long javaNs;
        public long javaOps;
        public long cNs;
        public long cOps;
        public long javaBytes;
        boolean cFirst;
        private final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        @Setup(Level.Iteration)
        public void clear() {
            javaNs = javaOps = cNs = cOps = javaBytes = 0;
        }

        long java(Runnable produce, java.util.function.LongSupplier read) {
            produce.run();
            long b0 = mx.getCurrentThreadAllocatedBytes();
            long t0 = mx.getCurrentThreadCpuTime();
            long n = read.getAsLong();
            long t1 = mx.getCurrentThreadCpuTime();
            javaBytes += mx.getCurrentThreadAllocatedBytes() - b0;
            HashMapFixture.expect(n, N, "records (java)");
            javaNs += t1 - t0;
            javaOps += n;
            return n;
        }

        long c(Runnable produce, java.util.function.LongSupplier read) {
            produce.run();
            long t0 = mx.getCurrentThreadCpuTime();
            long n = read.getAsLong();
            long t1 = mx.getCurrentThreadCpuTime();
            HashMapFixture.expect(n, N, "records (libbpf)");
            cNs += t1 - t0;
            cOps += n;
            return n;
        }

        long pair(Runnable produceJ, java.util.function.LongSupplier java, Runnable produceC, java.util.function.LongSupplier c) {
            long r;
            if (cFirst) r = c(produceC, c) + java(produceJ, java);
            else r = java(produceJ, java) + c(produceC, c);
            cFirst = !cFirst;
            return r;
        }
    }

    /** {@code bpf_ringbuf_output(ring, &i, 8, 0)} or {@code bpf_perf_event_output(skb, array, CURRENT_CPU, &i, 8)}. */
    static long[] producer(int out, boolean perf) {
        Asm a = new Asm().mov64(Register.R6, Register.R1).lddw(Register.R1, 0x5eed).stxdw(Register.R10, -8, Register.R1);
        if (perf) {
            a.mov64(Register.R1, Register.R6).ldMapFd(Register.R2, out).lddw(Register.R3, CURRENT_CPU)
                    .mov64(Register.R4, Register.R10).add64(Register.R4, -8).mov64(Register.R5, 8).call(Helper.PERF_EVENT_OUTPUT);
        } else {
            a.ldMapFd(Register.R1, out).mov64(Register.R2, Register.R10).add64(Register.R2, -8).mov64(Register.R3, 8)
                    .mov64(Register.R4, 0).call(Helper.RINGBUF_OUTPUT);
        }
        return a.exit().toArray();
    }

    static void produce(BpfProgram p) {
        int r = p.testRun(TestRunSpec.ofData(PACKET).withRepeat(N)).retval();
        if (r != 0) throw new IllegalStateException("the producer's last send failed: " + r + " (a full ring?)");
    }

    /** One ring buffer map, one socket filter writing to it, a bpf4j reader and a libbpf reader on it. */
    @State(Scope.Benchmark)
    public static class Ring {
        Bpf bpf;
        BpfMap map;
        BpfProgram prog;
        RingBufferReader reader;
        EventBaseline c;
        MemorySegment rb;
        long sum;
        final Duration wait = Duration.ofSeconds(1);

        @Setup(Level.Trial)
        public void open() {
            c = new EventBaseline(CBaseline.get());
            bpf = Bpf.open("linux");
            map = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 1 << 20));
            prog = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SOCKET_FILTER, producer(map.fd(), false), "GPL"));
            reader = map.ringBufferReader(this::onRecord);
            rb = c.ringBufferNew(map.fd());
        }

        private void onRecord(EventRecord r) {
            sum += r.getLong(0);
        }

        long readJava() {
            long n = 0;
            while (n < N) {
                int got = reader.poll(wait);
                if (got == 0) throw new IllegalStateException("no records within " + wait);
                n += got;
            }
            return n;
        }

        @TearDown(Level.Trial)
        public void close() {
            if (rb != null) c.ringBufferFree(rb);
            if (reader != null) reader.close();
            if (prog != null) prog.close();
            if (map != null) map.close();
            if (bpf != null) bpf.close();
        }
    }

    /** Two perf event arrays with a classifier each; a bpf4j reader on one, a libbpf one on the other. */
    @State(Scope.Benchmark)
    public static class Perf {
        static final int PAGES = 64;
        Bpf bpf;
        BpfMap arrayJ;
        BpfMap arrayC;
        BpfProgram progJ;
        BpfProgram progC;
        PerfBufferReader reader;
        EventBaseline c;
        MemorySegment pb;
        long sum;
        long lost;
        final Duration wait = Duration.ofSeconds(1);

        @Setup(Level.Trial)
        public void open() {
            c = new EventBaseline(CBaseline.get());
            bpf = Bpf.open("linux");
            arrayJ = BpfMap.create(bpf, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, bpf.possibleCpus()));
            arrayC = BpfMap.create(bpf, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, bpf.possibleCpus()));
            progJ = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SCHED_CLS, producer(arrayJ.fd(), true), "GPL"));
            progC = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SCHED_CLS, producer(arrayC.fd(), true), "GPL"));
            reader = arrayJ.perfBufferReader(PerfBufferOptions.DEFAULTS.withPagesPerCpu(PAGES), r -> sum += r.getLong(0),
                    (cpu, n) -> lost += n);
            pb = c.perfBufferNew(arrayC.fd(), PAGES);
        }

        long readJava() {
            long n = 0;
            while (n < N) {
                int got = reader.poll(wait);
                if (got == 0) throw new IllegalStateException("no samples within " + wait);
                n += got;
            }
            if (lost != 0) throw new IllegalStateException(lost + " samples lost: the ring is too small for " + N);
            return n;
        }

        @TearDown(Level.Trial)
        public void close() {
            if (pb != null) c.perfBufferFree(pb);
            if (reader != null) reader.close();
            if (progJ != null) progJ.close();
            if (progC != null) progC.close();
            if (arrayJ != null) arrayJ.close();
            if (arrayC != null) arrayC.close();
            if (bpf != null) bpf.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long ringBufferJavaVsLibbpf(Ring r, Drain d) {
        return d.pair(() -> produce(r.prog), r::readJava, () -> produce(r.prog), () -> r.c.ringBufferRead(r.rb, N));
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long perfBufferJavaVsLibbpf(Perf p, Drain d) {
        return d.pair(() -> produce(p.progJ), p::readJava, () -> produce(p.progC), () -> p.c.perfBufferRead(p.pb, N));
    }
}
