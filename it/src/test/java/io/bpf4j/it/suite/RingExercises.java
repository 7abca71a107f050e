package io.bpf4j.it.suite;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R10;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R5;
import static io.bpf4j.api.asm.Register.R6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.RingWaiter;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The exercises of the ring primitives: each maps or opens a ring, has a program write to it
 * through a test run, and reads what it wrote straight from the ring's memory in the kernel's
 * layout (the readers on top are tested in {@code io.bpf4j.it.events}). The primitive itself is
 * called before anything it does not need, so on a backend that lacks it that call is what throws.
 */
final class RingExercises {
    private final Bpf bpf;
    /** Makes a descriptor the exercise needs and closes it at the end. */
    private final java.util.function.Function<Supplier<Integer>, Integer> fd;
    /** Registers something to close at the end. */
    private final java.util.function.Consumer<AutoCloseable> owned;

    RingExercises(Bpf bpf, java.util.function.Function<Supplier<Integer>, Integer> fd,
            java.util.function.Consumer<AutoCloseable> owned) {
        this.bpf = bpf;
        this.fd = fd;
        this.owned = owned;
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.duplicate().order(ByteOrder.nativeOrder());
    }

    /** XDP: {@code bpf_ringbuf_output(ring, &(u64){0x1122334455667788}, 8, 0)}. */
    private int ringProducer(int ring) {
        long[] insns = new Asm().lddw(R1, 0x1122334455667788L).stxdw(R10, -8, R1)
                .ldMapFd(R1, ring).mov64(R2, R10).add64(R2, -8).mov64(R3, 8).mov64(R4, 0)
                .call(Helper.RINGBUF_OUTPUT).mov64(R0, 2).exit().toArray();
        return fd.apply(() -> bpf.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL")).fd());
    }

    void run(Operation op) {
        switch (op) {
            case RINGBUF_MAP -> ringbufMap();
            case PERF_BUFFER_OPEN -> perfBufferOpen();
            case RING_WAIT -> ringWait();
            case MAP_MMAP -> mapMmap();
            default -> throw new AssertionError(op);
        }
    }

    private void ringbufMap() {
        int ring = fd.apply(() -> bpf.mapCreate(MapSpec.of(MapType.RINGBUF, 0, 0, 4096)));
        MappedRing m = bpf.ringBufferMap(ring);
        owned.accept(m);
        assertEquals(4096, m.size());
        assertEquals(0, le(m.producerPosition()).getLong(0));
        bpf.progTestRun(ringProducer(ring), TestRunSpec.ofData(new byte[64]));
        assertEquals(16, le(m.producerPosition()).getLong(0), "an 8-byte header and 8 bytes");
        assertEquals(8, le(m.data()).getInt(0), "the header: length 8, neither busy nor discarded");
        assertEquals(0x1122334455667788L, le(m.data()).getLong(8));
        le(m.consumerPosition()).putLong(0, 16);
    }

    private void perfBufferOpen() {
        int cpus = bpf.possibleCpus();
        // 4096 entries: a slot per CPU on Linux and the simulator, and on eBPF for Windows (which reads
        // max_entries as each ring's byte size: a power of two, whole pages) a valid array too, so the
        // exercise reaches the primitive it is about on every backend.
        int array = fd.apply(() -> bpf.mapCreate(MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, Math.max(cpus, 4096))));
        List<MappedRing> rings = new ArrayList<>();
        for (int cpu = 0; cpu < cpus; cpu++) {
            MappedRing r = bpf.perfBufferOpen(array, cpu, 1, 1, false);
            if (r != null) {
                owned.accept(r);
                rings.add(r);
            }
        }
        assertFalse(rings.isEmpty(), "no CPU is online");
        // XDP: bpf_perf_event_output(ctx, array, BPF_F_CURRENT_CPU, &(u64){42}, 8)
        long[] insns = new Asm().mov64(R6, R1).lddw(R1, 42).stxdw(R10, -8, R1)
                .mov64(R1, R6).ldMapFd(R2, array).lddw(R3, 0xffffffffL).mov64(R4, R10).add64(R4, -8).mov64(R5, 8)
                .call(Helper.PERF_EVENT_OUTPUT).exit().toArray();
        int prog = fd.apply(() -> bpf.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL")).fd());
        assertEquals(0, bpf.progTestRun(prog, TestRunSpec.ofData(new byte[64])).retval());
        // Linux's kernel writes the ring before the test run returns; eBPF for Windows hands the
        // record to the backend on its own thread, so the sample may land a moment later.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (rings.stream().allMatch(r -> le(r.producerPosition()).getLong(0) == 0) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        int written = 0;
        for (MappedRing r : rings) {
            long head = le(r.producerPosition()).getLong(0);
            if (head == 0) continue;
            written++;
            assertEquals(24, head, "one PERF_RECORD_SAMPLE: header, u32 size, 8 bytes padded to 12");
            ByteBuffer d = le(r.data());
            assertEquals(9, d.getInt(0), "PERF_RECORD_SAMPLE");
            assertEquals(24, d.getShort(6));
            assertEquals(12, d.getInt(8));
            assertEquals(42, d.getLong(12));
        }
        assertEquals(1, written, "the sample is in the ring of the CPU the program ran on");
    }

    /** An mmapable array: a write through the mapping is what lookup reads, and the other way round. */
    private void mapMmap() {
        int map = fd.apply(() -> bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 1).withFlags(io.bpf4j.api.MapFlags.MMAPABLE)));
        io.bpf4j.api.MappedRegion r = bpf.mapMmap(map, 8, true);
        owned.accept(r);
        ByteBuffer b = le(r.buffer());
        b.putLong(0, 0x0102030405060708L);
        byte[] v = new byte[8];
        assertTrue(bpf.mapLookupElem(map, new byte[4], v, 0));
        assertEquals(0x0102030405060708L, ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong());
        bpf.mapUpdateElem(map, new byte[4], new byte[] {9, 0, 0, 0, 0, 0, 0, 0}, 0);
        assertEquals(9, b.getLong(0));
    }

    private void ringWait() {
        RingWaiter w = bpf.ringWaiter();
        owned.accept(w);
        if (!bpf.capabilities().operation(Operation.RINGBUF_MAP).supported()) {
            // eBPF for Windows 0.21 has no mapped ring buffers, only perf rings: wait on one of those.
            perfWait(w);
            return;
        }
        int ring = fd.apply(() -> bpf.mapCreate(MapSpec.of(MapType.RINGBUF, 0, 0, 4096)));
        MappedRing m = bpf.ringBufferMap(ring);
        owned.accept(m);
        w.add(m);
        assertFalse(w.await(0), "nothing written");
        bpf.progTestRun(ringProducer(ring), TestRunSpec.ofData(new byte[64]));
        assertTrue(w.await(5000), "a record waits");
        w.wakeup();
        assertTrue(w.await(-1), "woken for good");
    }

    private void perfWait(RingWaiter w) {
        int array = fd.apply(() -> bpf.mapCreate(MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, Math.max(bpf.possibleCpus(), 4096))));
        for (int cpu = 0; cpu < bpf.possibleCpus(); cpu++) {
            MappedRing r = bpf.perfBufferOpen(array, cpu, 1, 1, false);
            if (r == null) continue;
            owned.accept(r);
            w.add(r);
        }
        assertFalse(w.await(0), "nothing written");
        long[] insns = new Asm().mov64(R6, R1).lddw(R1, 42).stxdw(R10, -8, R1)
                .mov64(R1, R6).ldMapFd(R2, array).lddw(R3, 0xffffffffL).mov64(R4, R10).add64(R4, -8).mov64(R5, 8)
                .call(Helper.PERF_EVENT_OUTPUT).exit().toArray();
        int prog = fd.apply(() -> bpf.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL")).fd());
        bpf.progTestRun(prog, TestRunSpec.ofData(new byte[64]));
        assertTrue(w.await(5000), "a record waits");
        w.wakeup();
        assertTrue(w.await(-1), "woken for good");
    }

    /** The call of each primitive on a placeholder, for backends that lack what the exercise needs. */
    static void placeholder(Bpf bpf, Operation op, int fd) {
        switch (op) {
            case RINGBUF_MAP -> bpf.ringBufferMap(fd).close();
            case PERF_BUFFER_OPEN -> {
                MappedRing r = bpf.perfBufferOpen(fd, 0, 1, 1, false);
                if (r != null) r.close();
            }
            case RING_WAIT -> bpf.ringWaiter().close();
            case MAP_MMAP -> bpf.mapMmap(fd, 8, false).close();
            default -> throw new AssertionError(op);
        }
    }
}
