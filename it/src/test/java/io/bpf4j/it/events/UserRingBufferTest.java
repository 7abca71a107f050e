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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Opcodes;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfExt;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.events.UserRingBufferWriter;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.LeakCheck;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The user ring buffer writer, unchanged on the kernel and on the simulator: records written from
 * Java are drained by a program with {@code bpf_user_ringbuf_drain}, whose callback sums them with
 * {@code bpf_dynptr_read}; discarded records are skipped and their space comes back.
 */
@ExtendWith(LeakCheck.class)
class UserRingBufferTest {
    static Bpf open(String backend) {
        return backend.equals("linux") ? LinuxKernel.open() : Simulator.builder().build();
    }

    /**
     * XDP: {@code n = bpf_user_ringbuf_drain(ring, cb, &sum, 0)}; results = {n, sum}. The callback
     * adds each record's first 8 bytes to the sum. Callbacks need func_info (BTF).
     */
    private static long[] drainer(int ring, int results, int cbIndex) {
        return new Asm()
                .stdw(R10, -8, 0)
                .ldMapFd(R1, ring)
                .ldImm64(R2, Opcodes.PSEUDO_FUNC, cbIndex - 4, 0)      // insns 3-4; counted from the next
                .mov64(R3, R10).add64(R3, -8).mov64(R4, 0)
                .call(Helper.USER_RINGBUF_DRAIN).mov64(R6, R0).ldxdw(R7, R10, -8)
                .stw(R10, -12, 0).mov64(R2, R10).add64(R2, -12).ldMapFd(R1, results).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").stxdw(R0, 0, R6).stxdw(R0, 8, R7)
                .label("out").mov64(R0, 2).exit().toArray();
    }

    private static long[] callback() {
        return new Asm().mov64(R6, R2).mov64(R3, R1).mov64(R1, R10).add64(R1, -8).mov64(R2, 8).mov64(R4, 0).mov64(R5, 0)
                .call(Helper.DYNPTR_READ).jne(R0, 0, "stop")
                .ldxdw(R1, R10, -8).ldxdw(R2, R6, 0).add64(R2, R1).stxdw(R6, 0, R2)
                .mov64(R0, 0).exit()
                .label("stop").mov64(R0, 1).exit().toArray();
    }

    private static BpfProgram load(Bpf bpf, BpfMap ring, BpfMap results, BpfBtf btf, int[] funcs) {
        long[] main0 = drainer(ring.fd(), results.fd(), 0);
        long[] main = drainer(ring.fd(), results.fd(), main0.length);
        long[] cb = callback();
        long[] insns = new long[main.length + cb.length];
        System.arraycopy(main, 0, insns, 0, main.length);
        System.arraycopy(cb, 0, insns, main.length, cb.length);
        return BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, insns, "GPL").withBtf(btf.fd(),
                List.of(new BtfExt.FuncInfo(0, funcs[0]), new BtfExt.FuncInfo(main.length * 8, funcs[1])), List.of()));
    }

    private static long[] results(BpfMap results) {
        byte[] v = new byte[16];
        results.lookup(new byte[4], v);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(v).order(java.nio.ByteOrder.nativeOrder());
        return new long[] {b.getLong(0), b.getLong(8)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "sim"})
    void aProgramDrainsWhatJavaWrote(String backend) throws Exception {
        BtfBuilder b = new BtfBuilder();
        int intId = b.addInt("int", 4, BtfType.Int.SIGNED);
        int proto = b.addFuncProto(intId, List.of());
        int[] funcs = {b.addFunc("drain", proto, BtfLinkage.STATIC), b.addFunc("sum", proto, BtfLinkage.STATIC)};
        try (Bpf bpf = open(backend);
                BpfBtf btf = BpfBtf.load(bpf, b.marshal());
                BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.USER_RINGBUF, 0, 0, 4096));
                BpfMap results = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 16, 1));
                BpfProgram p = load(bpf, ring, results, btf, funcs);
                UserRingBufferWriter w = ring.userRingBufferWriter()) {
            UserRingBufferWriter.Reservation r = w.reserve(16);
            r.putLong(0, 40).putLong(8, -1).submit();
            w.reserve(8).putLong(0, 1000).discard();
            byte[] two = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putLong(2).array();
            assertTrue(w.write(two, 0, 8));
            UserRingBufferWriter.Reservation busy = w.reserve(8);
            busy.putLong(0, 100);
            assertTrue(w.write(two, 0, 8), "written after a reservation still open");
            p.testRun(TestRunSpec.ofData(new byte[64]));
            assertEquals(List.of(2L, 42L), List.of(results(results)[0], results(results)[1]),
                    "40 and 2 drained, the discarded 1000 skipped, the drain stops at the open reservation");
            busy.submit();
            p.testRun(TestRunSpec.ofData(new byte[64]));
            assertEquals(List.of(2L, 102L), List.of(results(results)[0], results(results)[1]), "100 and 2");
            // Fill the ring: 4096 bytes hold 4096 / 16 records of 8 bytes; then room comes back
            // as the program drains.
            int n = 0;
            while (w.write(two, 0, 8)) n++;
            assertEquals(4096 / 16, n);
            assertNull(w.reserve(8));
            assertNull(w.reserve(8, Duration.ofMillis(20)), "nobody drains");
            // A writer waiting for room is woken by the drain (the kernel wakes the map's wait
            // queue after a drain that consumed samples).
            java.util.concurrent.CompletableFuture<UserRingBufferWriter.Reservation> waiting =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> w.reserve(8, Duration.ofSeconds(20)));
            Thread.sleep(200);
            assertTrue(!waiting.isDone(), "the writer waits while the ring is full");
            p.testRun(TestRunSpec.ofData(new byte[64]));
            assertEquals(n, results(results)[0]);
            UserRingBufferWriter.Reservation room = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(room, "room after the drain");
            room.discard();
            assertThrows(IllegalArgumentException.class, () -> w.reserve(4096 - 7));
        }
    }
}
