package io.bpf4j.it.events;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R10;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R5;
import static io.bpf4j.api.asm.Register.R6;
import static io.bpf4j.api.asm.Register.R7;
import static io.bpf4j.api.asm.Register.R9;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.events.EventRecord;
import io.bpf4j.api.events.PerfBufferOptions;
import io.bpf4j.api.events.PerfBufferReader;
import io.bpf4j.api.events.RingBufferReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An agent as a user would write one, on any backend: a program on the
 * {@code syscalls/sys_enter_getpid} tracepoint that, for one thread, numbers each call with a
 * shared counter and sends {@code {u64 seq; u32 tid; u32 cpu}} to a ring buffer or a perf buffer,
 * counting in a second counter the sends that failed (ring full). The agent reads the events
 * back with the api's readers. The program is the same for both kinds but for its send.
 */
final class GetpidAgent implements AutoCloseable {
    /** One event as the program sent it, and the CPU the reader says it came from. */
    record Event(long seq, int tid, int cpu, int readerCpu) {
    }

    private static final long CURRENT_CPU = 0xffffffffL;

    private final List<AutoCloseable> owned = new ArrayList<>();
    private final BpfMap counters;
    private final BpfProgram prog;
    private final RingBufferReader ring;
    private final PerfBufferReader perf;
    private BpfLink link;
    final List<Event> events = new ArrayList<>();
    final List<long[]> losses = new ArrayList<>();

    private GetpidAgent(Bpf bpf, int tid, MapSpec eventsSpec, PerfBufferOptions perfOptions) {
        try {
            counters = own(BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 16, 1).withName("counters")));
            BpfMap out = own(BpfMap.create(bpf, eventsSpec));
            boolean isPerf = eventsSpec.type() == MapType.PERF_EVENT_ARRAY;
            prog = own(BpfProgram.load(bpf, ProgramSpec.of(ProgramType.TRACEPOINT, program(counters.fd(), out.fd(), tid, isPerf),
                    "GPL")));
            if (isPerf) {
                ring = null;
                perf = own(out.perfBufferReader(perfOptions, this::onEvent, (cpu, n) -> losses.add(new long[] {cpu, n})));
            } else {
                perf = null;
                ring = own(out.ringBufferReader(this::onEvent));
            }
            // The agent needs no handle on the event map any more: the reader keeps what it reads.
            out.close();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static GetpidAgent ringBuffer(Bpf bpf, int tid, int size) {
        return new GetpidAgent(bpf, tid, MapSpec.of(MapType.RINGBUF, 0, 0, size).withName("events"), null);
    }

    static GetpidAgent perfBuffer(Bpf bpf, int tid, PerfBufferOptions options) {
        return new GetpidAgent(bpf, tid, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, bpf.possibleCpus()).withName("events"),
                options);
    }

    private <T extends AutoCloseable> T own(T t) {
        owned.add(t);
        return t;
    }

    private void onEvent(EventRecord r) {
        events.add(new Event(r.getLong(0), r.getInt(8), r.getInt(12), r.cpu()));
    }

    /** Attaches the program to the tracepoint. */
    void start() {
        link = own(prog.attachTracepoint("syscalls", "sys_enter_getpid", 0));
    }

    /** Delivers what is waiting, or waits up to the timeout for something. */
    int poll(Duration timeout) {
        return ring != null ? ring.poll(timeout) : perf.poll(timeout);
    }

    /** Delivers what is waiting. */
    int consume() {
        return ring != null ? ring.consume() : perf.consume();
    }

    /** Polls until {@code n} events arrived or the time is up. */
    void awaitEvents(int n, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (events.size() < n && System.nanoTime() < deadline) poll(Duration.ofMillis(100));
    }

    /** How many calls the program numbered, and how many sends failed. */
    long[] counters() {
        byte[] v = new byte[16];
        counters.lookup(new byte[4], v);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(v).order(java.nio.ByteOrder.nativeOrder());
        return new long[] {b.getLong(0), b.getLong(8)};
    }

    long lostSamples() {
        return perf.lostSamples();
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        owned.clear();
    }

    /**
     * The program. r6 ctx, r7 the thread, r9 the counters; the event is built at fp-24.
     */
    static long[] program(int counters, int out, int tid, boolean perf) {
        Asm a = new Asm().mov64(R6, R1)
                .call(Helper.GET_CURRENT_PID_TGID).jne32(R0, tid, "out").mov64(R7, R0)
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, counters).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").mov64(R9, R0)
                .mov64(R1, 1).atomicFetchAdd64(R9, 0, R1)
                .stxdw(R10, -24, R1).stxw(R10, -16, R7)
                .call(Helper.GET_SMP_PROCESSOR_ID).stxw(R10, -12, R0);
        if (perf) {
            a.mov64(R1, R6).ldMapFd(R2, out).lddw(R3, CURRENT_CPU).mov64(R4, R10).add64(R4, -24).mov64(R5, 16)
                    .call(Helper.PERF_EVENT_OUTPUT);
        } else {
            a.ldMapFd(R1, out).mov64(R2, R10).add64(R2, -24).mov64(R3, 16).mov64(R4, 0).call(Helper.RINGBUF_OUTPUT);
        }
        return a.jeq(R0, 0, "out").mov64(R1, 1).atomicAdd64(R9, 8, R1)
                .label("out").mov64(R0, 0).exit().toArray();
    }
}
