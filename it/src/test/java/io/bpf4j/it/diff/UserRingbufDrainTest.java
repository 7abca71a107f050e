package io.bpf4j.it.diff;

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
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.events.UserRingBufferWriter;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.Simulator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bpf_user_ringbuf_drain} and the dynptr helpers its callback reads samples with, on Linux
 * 6.18 and on the simulator, fed the same records (through {@link UserRingBufferWriter}, and
 * crafted by hand in the mapped ring for the malformed cases): what the drain returns for an
 * empty ring, discarded and busy records, an early stop, unknown flags, an unaligned producer
 * position, a header claiming more than was produced and a record larger than the ring; what
 * {@code bpf_dynptr_read}, {@code bpf_dynptr_data} and {@code bpf_dynptr_write} return and
 * whether their writes reach the ring.
 */
class UserRingbufDrainTest {
    private static final int SIZE = 4096;
    private static final long E2BIG = -7;
    private static final long EINVAL = -22;

    /**
     * The callback, with {@code ctx = {sum, readPastEnd, readWithFlags, firstWord, dataPastEnd,
     * writeResult, count, stop}}: sums each sample's first word, tries the error cases of
     * {@code bpf_dynptr_read}, reads and increments the first word through
     * {@code bpf_dynptr_data}, writes 0x77 at offset 8 with {@code bpf_dynptr_write}, and stops
     * when {@code stop} is 1.
     */
    private static Asm callback(Asm a) {
        return a.mov64(R6, R1).mov64(R7, R2)
                .mov64(R1, R10).add64(R1, -8).mov64(R2, 8).mov64(R3, R6).mov64(R4, 0).mov64(R5, 0).call(Helper.DYNPTR_READ)
                .jne(R0, 0, "counted").ldxdw(R1, R10, -8).ldxdw(R2, R7, 0).add64(R2, R1).stxdw(R7, 0, R2)
                .label("counted").ldxdw(R1, R7, 48).add64(R1, 1).stxdw(R7, 48, R1)
                .mov64(R1, R10).add64(R1, -8).mov64(R2, 8).mov64(R3, R6).mov32(R4, -16).mov64(R5, 0).call(Helper.DYNPTR_READ)
                .stxdw(R7, 8, R0)
                .mov64(R1, R10).add64(R1, -8).mov64(R2, 8).mov64(R3, R6).mov64(R4, 0).mov64(R5, 1).call(Helper.DYNPTR_READ)
                .stxdw(R7, 16, R0)
                .mov64(R1, R6).mov64(R2, 0).mov64(R3, 8).call(Helper.DYNPTR_DATA)
                .jeq(R0, 0, "nodata").ldxdw(R1, R0, 0).stxdw(R7, 24, R1).add64(R1, 1).stxdw(R0, 0, R1)
                .label("nodata").mov64(R1, R6).mov64(R2, 12).mov64(R3, 8).call(Helper.DYNPTR_DATA)
                .mov64(R1, 1).jeq(R0, 0, "null").mov64(R1, 0).label("null").stxdw(R7, 32, R1)
                .stdw(R10, -16, 0x77).mov64(R1, R6).mov64(R2, 8).mov64(R3, R10).add64(R3, -16).mov64(R4, 8).mov64(R5, 0)
                .call(Helper.DYNPTR_WRITE).stxdw(R7, 40, R0)
                .ldxdw(R0, R7, 56).and64(R0, 1).exit();
    }

    /** {@code ret = bpf_user_ringbuf_drain(ring, cb, &ctx, out[31])} with {@code ctx.stop = out[30]}; ret and ctx to slots 0..7. */
    private static Asm main(Asm a, int out, int ring) {
        a.ldMapValue(R6, out, 0);
        for (int i = 1; i <= 8; i++) a.stdw(R10, -8 * i, 0);
        a.ldxdw(R1, R6, 30 * 8).and64(R1, 1).stxdw(R10, -8, R1)
                .ldMapFd(R1, ring).mov64(R2, R9).mov64(R3, R10).add64(R3, -64).ldxdw(R4, R6, 31 * 8)
                .call(Helper.USER_RINGBUF_DRAIN).stxdw(R6, 0, R0);
        for (int i = 0; i < 7; i++) a.ldxdw(R1, R10, -64 + 8 * i).stxdw(R6, 8 + 8 * i, R1);
        return a;
    }

    private static byte[] sample(long first, long second) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(first).putLong(second).array();
    }

    /** Sets the stop flag and drain flags, runs, and returns ret and the callback's ctx. */
    private static long[] drain(CallbackProgs.Loaded p, long stop, long flags) {
        byte[] cfg = new byte[CallbackProgs.SLOTS * 8];
        ByteBuffer.wrap(cfg).order(ByteOrder.nativeOrder()).putLong(30 * 8, stop).putLong(31 * 8, flags);
        p.out.update(new byte[4], cfg, 0);
        return Arrays.copyOf(p.run(), 8);
    }

    private static List<Long> scenario(Bpf bpf) {
        List<Long> got = new ArrayList<>();
        try (BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.USER_RINGBUF, 0, 0, SIZE));
                CallbackProgs.Loaded p = CallbackProgs.load(bpf, (a, out) -> main(a, out, ring.fd()),
                        List.of(UserRingbufDrainTest::callback));
                MappedRing view = bpf.ringBufferMap(ring.fd())) {
            ByteBuffer data = view.data().order(ByteOrder.nativeOrder());
            ByteBuffer prod = view.producerPosition().order(ByteOrder.nativeOrder());
            ByteBuffer cons = view.consumerPosition().order(ByteOrder.nativeOrder());
            try (UserRingBufferWriter w = UserRingBufferWriter.open(ring)) {
                add(got, drain(p, 0, 0));                                    // empty
                byte[] a = sample(5, 6);
                w.write(a, 0, 16);                                            // at 0
                w.reserve(8).putLong(0, 1000).discard();                      // at 24
                byte[] b = sample(7, 8);
                w.write(b, 0, 16);                                            // at 40
                UserRingBufferWriter.Reservation busy = w.reserve(16);        // at 64
                add(got, drain(p, 0, 0));
                got.add(data.getLong(8));
                got.add(data.getLong(16));
                got.add(data.getLong(48));
                got.add(cons.getLong(0));
                add(got, drain(p, 0, 4));                                     // unknown flags
                busy.putLong(0, 100).submit();
                w.write(sample(200, 0), 0, 16);
                add(got, drain(p, 1, 0));                                     // stops after the first
                add(got, drain(p, 0, 1));                                     // BPF_RB_NO_WAKEUP: the rest
                got.add(cons.getLong(0));
            }
            long at = cons.getLong(0);
            prod.putLong(0, at + 4);                                          // unaligned producer
            add(got, drain(p, 0, 0));
            data.putInt((int) (at & (SIZE - 1)), 64);                         // 64 bytes claimed, 16 produced
            data.putInt((int) (at & (SIZE - 1)) + 4, 0);
            prod.putLong(0, at + 16);
            add(got, drain(p, 0, 0));
            data.putInt((int) (at & (SIZE - 1)), SIZE + 8);                   // larger than the ring
            prod.putLong(0, at + 2L * SIZE);
            add(got, drain(p, 0, 0));
            got.add(cons.getLong(0));
        }
        return got;
    }

    private static void add(List<Long> got, long[] v) {
        for (long x : v) got.add(x);
    }

    @Test
    void drainAndDynptrsReturnWhatTheKernelReturns() {
        LinuxKernel.require();
        List<Long> linux = DiffHost.onCpu0(null, () -> {
            try (Bpf bpf = Bpf.open("linux")) {
                return scenario(bpf);
            }
        });
        List<Long> sim;
        try (Bpf bpf = Simulator.builder().possibleCpus(DiffHost.CPUS).build()) {
            sim = scenario(bpf);
        }
        assertEquals(linux, sim, () -> "linux " + linux + "\nsim   " + sim);
        long[] r = linux.stream().mapToLong(Long::longValue).toArray();
        assertArrayEquals(new long[8], Arrays.copyOfRange(r, 0, 8), "an empty ring: nothing drained");
        assertArrayEquals(new long[] {2, 12, E2BIG, EINVAL, 7, 1, 0, 2}, Arrays.copyOfRange(r, 8, 16),
                "two samples and a discarded one: 2 returned, the busy one ends the drain");
        assertEquals(List.of(6L, 0x77L, 8L, 64L), linux.subList(16, 20),
                "dynptr_data and dynptr_write reach the ring; the consumer stops at the busy record");
        assertEquals(EINVAL, r[20], "unknown drain flags");
        assertEquals(List.of(1L, 100L), linux.subList(28, 30), "stopped after the first sample");
        assertEquals(List.of(1L, 200L), linux.subList(36, 38), "the rest");
        assertEquals(List.of(EINVAL, EINVAL, E2BIG), List.of(r[45], r[53], r[61]),
                "unaligned producer, header past the producer, record larger than the ring");
        assertEquals(r[44], r[69], "malformed records are not consumed");
    }

    /** The outer callback: drains the same ring from inside the drain, keeps what that returned in ctx[0]. */
    private static Asm nestingCb(Asm a, int ring, int length) {
        return a.mov64(R7, R2).ldImm64(R6, io.bpf4j.api.asm.Opcodes.PSEUDO_FUNC, length - 2, 0)
                .ldMapFd(R1, ring).mov64(R2, R6).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.USER_RINGBUF_DRAIN).stxdw(R7, 0, R0).mov64(R0, 0).exit();
    }

    private static List<Long> nested(Bpf bpf) {
        try (BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.USER_RINGBUF, 0, 0, SIZE))) {
            int outerLen = nestingCb(new Asm(), ring.fd(), 0).toArray().length;
            try (CallbackProgs.Loaded p = CallbackProgs.load(bpf, (a, out) -> {
                a.ldMapValue(R6, out, 0).stdw(R10, -8, 0).ldMapFd(R1, ring.fd()).mov64(R2, R9).mov64(R3, R10).add64(R3, -8)
                        .mov64(R4, 0).call(Helper.USER_RINGBUF_DRAIN).stxdw(R6, 0, R0).ldxdw(R1, R10, -8).stxdw(R6, 8, R1);
                return a;
            }, List.of(a -> nestingCb(a, ring.fd(), outerLen), a -> a.mov64(R0, 0).exit()));
                    UserRingBufferWriter w = UserRingBufferWriter.open(ring)) {
                w.write(sample(1, 2), 0, 16);
                long[] r = p.run();
                return List.of(r[0], r[1]);
            }
        }
    }

    @Test
    void aDrainInsideADrainOfTheSameRingIsBusy() {
        LinuxKernel.require();
        List<Long> linux = DiffHost.onCpu0(null, () -> {
            try (Bpf bpf = Bpf.open("linux")) {
                return nested(bpf);
            }
        });
        List<Long> sim;
        try (Bpf bpf = Simulator.builder().build()) {
            sim = nested(bpf);
        }
        assertEquals(List.of(1L, -16L), linux, "the outer drain takes the sample; the inner one is EBUSY");
        assertEquals(linux, sim);
    }
}
