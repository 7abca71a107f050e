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
import static io.bpf4j.api.asm.Register.R8;
import static io.bpf4j.api.asm.Register.R9;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.asm.Register;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.Simulator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The helpers that call back into the program, run on Linux 6.18 and on the simulator with the
 * same programs and inputs, their results compared slot by slot and checked against the values
 * the kernel's code gives ({@code bpf_loop} in {@code kernel/bpf/bpf_iter.c},
 * {@code bpf_for_each_array_elem} / {@code bpf_for_each_hash_elem}): counts, early stops, the
 * {@code -E2BIG} and {@code -EINVAL} returns, the values and keys each callback sees, in order.
 */
class CallbackHelpersTest {
    private static final long E2BIG = -7;
    private static final long EINVAL = -22;

    /** Runs {@code scenario} on the kernel (on CPU 0) and on the simulator; both must agree. */
    private static long[] onBoth(Function<Bpf, long[]> scenario) {
        LinuxKernel.require();
        long[] linux = DiffHost.onCpu0(null, () -> {
            try (Bpf bpf = Bpf.open("linux")) {
                return scenario.apply(bpf);
            }
        });
        long[] sim;
        try (Bpf bpf = Simulator.builder().possibleCpus(DiffHost.CPUS).build()) {
            sim = scenario.apply(bpf);
        }
        assertArrayEquals(linux, sim, () -> "linux " + Arrays.toString(linux) + "\nsim   " + Arrays.toString(sim));
        return linux;
    }

    /** {@code *ctx += i}, always going on. */
    private static Asm sumCb(Asm a) {
        return a.ldxdw(R3, R2, 0).add64(R3, R1).stxdw(R2, 0, R3).mov64(R0, 0).exit();
    }

    /** {@code *ctx += i}, stopping (returning 1) at {@code i == 3}. */
    private static Asm stopAt3Cb(Asm a) {
        return a.ldxdw(R3, R2, 0).add64(R3, R1).stxdw(R2, 0, R3).mov64(R0, 0).jne(R1, 3, "go").mov64(R0, 1)
                .label("go").exit();
    }

    /** {@code ret = bpf_loop(nr, fn, &sum, flags)} with {@code sum} starting at 0; ret and sum to two slots. */
    private static Asm loop(Asm a, int out, long nr, Register fn, int flags, int slot) {
        return CallbackProgs.store(CallbackProgs.store(
                a.stdw(R10, -8, 0).lddw(R1, nr).mov64(R2, fn).mov64(R3, R10).add64(R3, -8).mov64(R4, flags)
                        .call(Helper.LOOP).mov64(R6, R0), out, slot, R6).ldxdw(R6, R10, -8), out, slot + 1, R6);
    }

    @Test
    void bpfLoopCountsStopsAndRefusesAsTheKernel() {
        long[] r = onBoth(bpf -> {
            try (CallbackProgs.Loaded p = CallbackProgs.load(bpf, (a, out) -> {
                loop(a, out, 5, R9, 0, 0);
                loop(a, out, 10, R8, 0, 2);
                loop(a, out, (1 << 23) + 1, R9, 0, 4);
                loop(a, out, 5, R9, 1, 6);
                loop(a, out, 0, R9, 0, 8);
                loop(a, out, 1L << 32 | 3, R9, 0, 10);
                return loop(a, out, 1 << 23, R8, 0, 12);
            }, List.of(CallbackHelpersTest::sumCb, CallbackHelpersTest::stopAt3Cb))) {
                return p.run();
            }
        });
        assertEquals(List.of(5L, 10L), List.of(r[0], r[1]), "five loops sum 0..4");
        assertEquals(List.of(4L, 6L), List.of(r[2], r[3]), "stopped at i == 3: i + 1 returned, 0..3 summed");
        // Flags known to be 0: the verifier inlines the call, and the inlined code sets -E2BIG
        // with a 32-bit move and compares the whole 64-bit count.
        assertEquals(List.of(E2BIG & 0xffffffffL, 0L), List.of(r[4], r[5]), "more than 1 << 23 loops");
        assertEquals(List.of(EINVAL, 0L), List.of(r[6], r[7]), "flags must be 0");
        assertEquals(List.of(0L, 0L), List.of(r[8], r[9]), "no loops");
        assertEquals(List.of(E2BIG & 0xffffffffL, 0L), List.of(r[10], r[11]), "the inlined call compares all 64 bits");
        assertEquals(List.of(4L, 6L), List.of(r[12], r[13]), "1 << 23 loops are allowed");
    }

    /**
     * The walk callback: {@code ctx = {sum, order, stop key}}; adds {@code key * 1000 + value}
     * to the sum, appends the key as a hex digit to the order, adds 100 to the value in place,
     * and stops after the stop key. (Stopping on a count kept in ctx would make the verifier
     * track the count precisely and never converge on the callback.)
     */
    private static Asm walkCb(Asm a) {
        return a.mov64(R6, R4).ldxw(R1, R2, 0).ldxdw(R7, R3, 0)
                .mov64(R4, R1).mul64(R4, 1000).add64(R4, R7).ldxdw(R5, R6, 0).add64(R5, R4).stxdw(R6, 0, R5)
                .ldxdw(R5, R6, 8).lsh64(R5, 4).or64(R5, R1).stxdw(R6, 8, R5)
                .add64(R7, 100).stxdw(R3, 0, R7)
                .ldxdw(R4, R6, 16).mov64(R0, 0).jne(R1, R4, "go").mov64(R0, 1).label("go").exit();
    }

    /** Deletes the element it is shown, going on. */
    private static Asm deleteCb(Asm a) {
        return a.call(Helper.MAP_DELETE_ELEM).mov64(R0, 0).exit();
    }

    /** {@code ret = bpf_for_each_map_elem(map, fn, &ctx, flags)}: ret, sum and order to three slots. */
    private static Asm walk(Asm a, int out, BpfMap m, Register fn, int stopKey, int flags, int slot) {
        a.stdw(R10, -32, 0).stdw(R10, -24, 0).stdw(R10, -16, stopKey)
                .ldMapFd(R1, m.fd()).mov64(R2, fn).mov64(R3, R10).add64(R3, -32).mov64(R4, flags)
                .call(Helper.FOR_EACH_MAP_ELEM).mov64(R6, R0);
        CallbackProgs.store(a, out, slot, R6).ldxdw(R6, R10, -32);
        CallbackProgs.store(a, out, slot + 1, R6).ldxdw(R6, R10, -24);
        return CallbackProgs.store(a, out, slot + 2, R6);
    }

    private static byte[] le(long v, int n) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        return Arrays.copyOf(b.array(), n);
    }

    private static byte[] perCpu(long v) {
        byte[] all = new byte[8 * DiffHost.CPUS];
        for (int c = 0; c < DiffHost.CPUS; c++) System.arraycopy(le(v + c, 8), 0, all, c * 8, 8);
        return all;
    }

    private static long count(BpfMap m) {
        long n = 0;
        byte[] k = null;
        byte[] next = new byte[m.keySize()];
        while (m.nextKey(k, next)) {
            n++;
            k = next.clone();
        }
        return n;
    }

    @Test
    void forEachMapElemWalksArraysAndHashMapsAsTheKernel() {
        long[] r = onBoth(bpf -> {
            MapType[] types = {MapType.ARRAY, MapType.PERCPU_ARRAY, MapType.HASH, MapType.LRU_HASH, MapType.PERCPU_HASH,
                MapType.LRU_PERCPU_HASH};
            BpfMap[] maps = new BpfMap[types.length];
            BpfMap victim = null;
            try {
                for (int i = 0; i < types.length; i++) {
                    boolean hash = types[i] != MapType.ARRAY && types[i] != MapType.PERCPU_ARRAY;
                    maps[i] = BpfMap.create(bpf, MapSpec.of(types[i], 4, 8, hash ? 16 : 4)
                            .withFlags(hash ? MapFlags.ZERO_SEED : 0));
                    for (int k = hash ? 1 : 0; k < (hash ? 6 : 4); k++) {
                        maps[i].update(le(k, 4), types[i].isPerCpu() ? perCpu(k * 10) : le(k * 10, 8), 0);
                    }
                }
                victim = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 16));
                for (int k = 0; k < 7; k++) victim.update(le(k, 4), le(k, 8), 0);
                BpfMap v = victim;
                try (CallbackProgs.Loaded p = CallbackProgs.load(bpf, (a, out) -> {
                    for (int i = 0; i < types.length; i++) walk(a, out, maps[i], R9, -1, 0, 3 * i);
                    walk(a, out, maps[0], R9, 1, 0, 18);
                    walk(a, out, maps[2], R9, 3, 0, 21);
                    walk(a, out, maps[2], R9, -1, 1, 24);
                    return walk(a, out, v, R8, -1, 0, 27);
                }, List.of(CallbackHelpersTest::walkCb, CallbackHelpersTest::deleteCb))) {
                    long[] res = p.run();
                    long[] lookedUp = new long[4];
                    byte[] val = new byte[8];
                    for (int k = 0; k < 4; k++) {
                        maps[0].lookup(le(k, 4), val);
                        lookedUp[k] = ByteBuffer.wrap(val).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    }
                    long[] all = Arrays.copyOf(res, res.length + 5);
                    System.arraycopy(lookedUp, 0, all, res.length, 4);
                    all[res.length + 4] = count(v);
                    return all;
                }
            } finally {
                for (BpfMap m : maps) if (m != null) m.close();
                if (victim != null) victim.close();
            }
        });
        assertEquals(List.of(4L, 6060L, 0x0123L), List.of(r[0], r[1], r[2]), "array: every index in order");
        assertEquals(4L, r[3], "per-CPU array: every index");
        assertEquals(6060L, r[4], "per-CPU array: CPU 0's values");
        for (int i = 2; i < 6; i++) {
            assertEquals(5L, r[3 * i], "hash walk " + i + " visits the five elements");
            assertEquals(15150L, r[3 * i + 1], "hash walk " + i + " sums keys and values");
        }
        assertEquals(List.of(2L, 1110L + 100, 0x01L), List.of(r[18], r[19], r[20]),
                "stopped at the second index; the first walk added 100 to each value");
        int at3 = Long.toHexString(r[8]).indexOf('3') + 1;
        assertEquals(5, Long.toHexString(r[8]).length(), "the full hash walk's order names five keys");
        assertEquals(at3, r[21], "stopped at key 3, counting it, at its place in the walk's order");
        assertEquals(List.of(EINVAL, 0L, 0L), List.of(r[24], r[25], r[26]), "flags must be 0");
        assertEquals(7L, r[27], "the callback may delete the element it is shown");
        assertEquals(List.of(200L, 210L, 120L, 130L), List.of(r[32], r[33], r[34], r[35]),
                "values written in place: +100 by each of the two walks (the second stopped after index 1)");
        assertEquals(0L, r[36], "every element deleted");
    }

    /** Refused with EINVAL and the kernel's log line, or "loaded". */
    private static String refusal(Bpf bpf, BtfLinkage linkage, boolean withBtf) {
        try (CallbackProgs.Loaded p = CallbackProgs.load(bpf, (a, out) -> loop(a, out, 1, R9, 0, 0),
                List.of(CallbackHelpersTest::sumCb), linkage, withBtf)) {
            return "loaded";
        } catch (VerifierException e) {
            String log = e.log();
            String last = log.contains("missing btf func_info") ? "missing btf func_info"
                    : log.contains("callback function not static") ? "callback function not static" : log;
            return e.errno() + ": " + last;
        }
    }

    @Test
    void aCallbackNeedsFuncInfoSayingItIsStatic() {
        LinuxKernel.require();
        for (Object[] c : new Object[][] {{BtfLinkage.STATIC, false, "EINVAL: missing btf func_info"},
            {BtfLinkage.GLOBAL, true, "EINVAL: callback function not static"}, {BtfLinkage.STATIC, true, "loaded"}}) {
            BtfLinkage linkage = (BtfLinkage) c[0];
            boolean btf = (Boolean) c[1];
            String linux = DiffHost.onCpu0(null, () -> {
                try (Bpf bpf = Bpf.open("linux")) {
                    return refusal(bpf, linkage, btf);
                }
            });
            String sim;
            try (Bpf bpf = Simulator.builder().build()) {
                sim = refusal(bpf, linkage, btf);
            }
            assertEquals(c[2], linux, "linux, " + linkage + (btf ? "" : " without BTF"));
            assertEquals(c[2], sim, "sim, " + linkage + (btf ? "" : " without BTF"));
        }
    }

    /** The refusal of a program whose callback returns {@code value} by a constant move: errno and the log's line about it. */
    private static String badReturn(Bpf bpf, boolean mov32, int value) {
        try (CallbackProgs.Loaded p = CallbackProgs.load(bpf, (a, out) -> loop(a, out, 1, R9, 0, 0),
                List.of(a -> (mov32 ? a.mov32(R0, value) : a.mov64(R0, value)).exit()))) {
            return "loaded";
        } catch (VerifierException e) {
            for (String line : e.log().split("\n")) {
                if (line.contains("At callback return")) return e.errno() + ": " + line.trim();
            }
            return e.errno() + ": " + e.log();
        }
    }

    @Test
    void aCallbackReturningAConstantOutsideZeroToOneIsRefused() {
        LinuxKernel.require();
        for (Object[] c : new Object[][] {{false, 2}, {false, -1}, {true, -1}, {false, 1}}) {
            boolean mov32 = (Boolean) c[0];
            int value = (Integer) c[1];
            String linux = DiffHost.onCpu0(null, () -> {
                try (Bpf bpf = Bpf.open("linux")) {
                    return badReturn(bpf, mov32, value);
                }
            });
            String sim;
            try (Bpf bpf = Simulator.builder().build()) {
                sim = badReturn(bpf, mov32, value);
            }
            assertEquals(linux, sim, (mov32 ? "mov32 " : "mov ") + value);
            assertEquals(value == 1, linux.equals("loaded"), linux);
        }
    }
}
