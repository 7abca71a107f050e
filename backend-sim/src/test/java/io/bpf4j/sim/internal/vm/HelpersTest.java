package io.bpf4j.sim.internal.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.asm.TextAssembler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HelpersTest {
    private static VmProgram load(String text, VmMap... maps) {
        return new VmLoader().maps(TestMaps.fds(maps)).load(TextAssembler.assemble(text));
    }

    private static long le64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    /** Counts calls per key: lookup, insert 1 if absent, else add 1 in place. */
    private static final String COUNTER = String.join("\n",
            "stw [%r10-4], 7",              // key = 7
            "ldmapfd %r1, 100",
            "mov %r2, %r10",
            "add %r2, -4",
            "call 1",                       // bpf_map_lookup_elem
            "jeq %r0, 0, insert",
            "mov %r1, 1",
            "lock add [%r0], %r1",          // in place, in the map's own array
            "ldxdw %r0, [%r0]",
            "exit",
            "insert:",
            "stdw [%r10-16], 1",
            "ldmapfd %r1, 100",
            "mov %r2, %r10",
            "add %r2, -4",
            "mov %r3, %r10",
            "add %r3, -16",
            "mov %r4, 1",                   // BPF_NOEXIST
            "call 2",                       // bpf_map_update_elem
            "exit");

    @Test
    void lookupReturnsLiveValueStorage() {
        TestMaps.Hash map = new TestMaps.Hash(4, 8, 16, 1);
        VmProgram p = load(COUNTER, map);
        Vm vm = new Vm();
        assertEquals(0, vm.run(p, 0));
        assertEquals(2, vm.run(p, 0));
        assertEquals(3, vm.run(p, 0));
        assertEquals(3, le64(map.lookup(new byte[] {7, 0, 0, 0}, 0)));
    }

    @Test
    void perCpuMapsSeeTheRunsCpu() {
        TestMaps.Hash map = new TestMaps.Hash(4, 8, 16, 2);
        VmProgram p = load(COUNTER, map);
        Vm vm = new Vm();
        vm.run(p, 0);
        vm.env().cpu(1);
        assertEquals(1, vm.run(p, 0), "CPU 1 sees its own slot of the element");
        assertEquals(2, vm.run(p, 0));
        assertEquals(1, le64(map.lookup(new byte[] {7, 0, 0, 0}, 0)));
        assertEquals(2, le64(map.lookup(new byte[] {7, 0, 0, 0}, 1)));
    }

    @Test
    void updateAndDeleteReturnKernelErrors() {
        TestMaps.Hash map = new TestMaps.Hash(4, 8, 1, 1);
        String update = "stw [%r10-4], 1\nstdw [%r10-16], 5\nldmapfd %r1, 100\nmov %r2, %r10\nadd %r2, -4\n"
                + "mov %r3, %r10\nadd %r3, -16\nmov %r4, 2\ncall 2\nexit";
        assertEquals(-2, new Vm().run(load(update, map), 0), "BPF_EXIST on a missing key: -ENOENT");
        String delete = "stw [%r10-4], 1\nldmapfd %r1, 100\nmov %r2, %r10\nadd %r2, -4\ncall 3\nexit";
        assertEquals(-2, new Vm().run(load(delete, map), 0));
    }

    @Test
    void readOnlyMapValuesFaultOnStore() {
        TestMaps.Array rodata = new TestMaps.Array(8, 1, true);
        rodata.values[0][0] = 42;
        assertEquals(42, new Vm().run(load("ldmapvalue %r1, 100, 0\nldxb %r0, [%r1]\nexit", rodata), 0));
        VmException e = assertThrows(VmException.class,
                () -> new Vm().run(load("ldmapvalue %r1, 100, 0\nstb [%r1], 1\nexit", rodata), 0));
        assertTrue(e.getMessage().contains("map value is read-only"), e.getMessage());
    }

    @Test
    void globalDataThroughDirectValueAddress() {
        TestMaps.Array data = new TestMaps.Array(16, 1, false);
        VmProgram p = load("ldmapvalue %r1, 100, 8\nstdw [%r1], 99\nldmapvalue %r2, 100, 0\nldxdw %r0, [%r2+8]\nexit",
                data);
        assertEquals(99, new Vm().run(p, 0));
        assertEquals(99, data.values[0][8]);
        VmException e = assertThrows(VmException.class,
                () -> new Vm().run(load("ldmapvalue %r1, 100, 8\nldxdw %r0, [%r1+8]\nexit", data), 0));
        assertTrue(e.getMessage().contains("map value of 16 bytes"), e.getMessage());
    }

    @Test
    void queuePushPopPeek() {
        TestMaps.Queue q = new TestMaps.Queue(8, 2);
        String push = "stdw [%r10-8], 11\nldmapfd %r1, 100\nmov %r2, %r10\nadd %r2, -8\nmov %r3, 0\ncall 87\nexit";
        assertEquals(0, new Vm().run(load(push, q), 0));
        assertEquals(0, new Vm().run(load(push, q), 0));
        assertEquals(-7, new Vm().run(load(push, q), 0), "full: -E2BIG");
        String pop = "ldmapfd %r1, 100\nmov %r2, %r10\nadd %r2, -8\ncall 88\njne %r0, 0, +1\nldxdw %r0, [%r10-8]\nexit";
        assertEquals(11, new Vm().run(load(pop, q), 0));
        assertEquals(11, new Vm().run(load(pop, q), 0));
        assertEquals(-2, new Vm().run(load(pop, q), 0), "empty: -ENOENT");
    }

    @Test
    void ringBufferReserveSubmitDiscardOutputQuery() {
        TestMaps.Ring ring = new TestMaps.Ring(64);
        String reserveSubmit = String.join("\n",
                "ldmapfd %r1, 100", "mov %r2, 8", "mov %r3, 0", "call 131",
                "jeq %r0, 0, +5",
                "stdw [%r0], 0x1234",
                "mov %r1, %r0", "mov %r2, 0", "call 132",
                "mov %r0, 1",
                "exit");
        VmProgram p = load(reserveSubmit, ring);
        assertEquals(1, new Vm().run(p, 0));
        assertEquals(1, ring.committed.size());
        assertEquals(0x1234, le64(ring.committed.get(0)));
        // 16 bytes per 8-byte record, and the producer may run at most size - 1 bytes ahead of
        // the consumer (kernel/bpf/ringbuf.c): three fit in 64 bytes, the fourth gets NULL.
        for (int i = 0; i < 2; i++) {
            assertEquals(1, new Vm().run(p, 0));
        }
        assertEquals(0, new Vm().run(p, 0));
        assertEquals(48, new Vm().run(load("ldmapfd %r1, 100\nmov %r2, 0\ncall 134\nexit", ring), 0),
                "BPF_RB_AVAIL_DATA: three records of 16 bytes");
        assertEquals(64, new Vm().run(load("ldmapfd %r1, 100\nmov %r2, 1\ncall 134\nexit", ring), 0));

        TestMaps.Ring r2 = new TestMaps.Ring(64);
        String discard = "ldmapfd %r1, 100\nmov %r2, 8\nmov %r3, 0\ncall 131\njeq %r0, 0, +3\n"
                + "mov %r1, %r0\nmov %r2, 0\ncall 133\nmov %r0, 0\nexit";
        new Vm().run(load(discard, r2), 0);
        assertEquals(1, r2.discarded);
        // The kernel frees a discarded record's space only when the consumer skips it.
        assertEquals(16, r2.used);
        String output = "stdw [%r10-8], 77\nldmapfd %r1, 100\nmov %r2, %r10\nadd %r2, -8\nmov %r3, 8\nmov %r4, 0\n"
                + "call 130\nexit";
        assertEquals(0, new Vm().run(load(output, r2), 0));
        assertEquals(77, le64(r2.committed.get(0)));
    }

    @Test
    void ringBufferRecordsDieAtSubmitAndMustNotLeak() {
        TestMaps.Ring ring = new TestMaps.Ring(64);
        String useAfterSubmit = "ldmapfd %r1, 100\nmov %r2, 8\nmov %r3, 0\ncall 131\njeq %r0, 0, +5\n"
                + "mov %r6, %r0\nmov %r1, %r0\nmov %r2, 0\ncall 132\nstdw [%r6], 1\nmov %r0, 0\nexit";
        VmException e = assertThrows(VmException.class, () -> new Vm().run(load(useAfterSubmit, ring), 0));
        assertTrue(e.getMessage().contains("already submitted or discarded"), e.getMessage());
        TestMaps.Ring r2 = new TestMaps.Ring(64);
        String leak = "ldmapfd %r1, 100\nmov %r2, 8\nmov %r3, 0\ncall 131\nmov %r0, 0\nexit";
        e = assertThrows(VmException.class, () -> new Vm().run(load(leak, r2), 0));
        assertTrue(e.getMessage().contains("Unreleased reference"), e.getMessage());
        assertEquals(1, r2.discarded, "the leaked reservation is given back");
    }

    @Test
    void perfEventOutputGoesToTheCurrentCpusSlot() {
        TestMaps.Perf perf = new TestMaps.Perf(4);
        String out = "stw [%r10-4], 0x6968\nmov %r6, %r1\nmov %r1, %r6\nldmapfd %r2, 100\nlddw %r3, 0xffffffff\n"
                + "mov %r4, %r10\nadd %r4, -4\nmov %r5, 2\ncall 25\nexit";
        Vm vm = new Vm();
        vm.env().cpu(3);
        assertEquals(0, vm.run(load(out, perf), 0));
        assertEquals(List.of("3:hi"), perf.samples);
    }

    @Test
    void tracePrintkFormatsLikeTheKernel() {
        TraceLog log = new TraceLog();
        Vm vm = new Vm();
        vm.env().traceLog(log);
        byte[] fmt = "n=%d u=%u x=%llx s=%s c=%c %5d|%-3x|%05d %%\n\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] str = "abc\0".getBytes(StandardCharsets.ISO_8859_1);
        long f = vm.region(fmt, 0, fmt.length, false);
        VmProgram p = load("mov %r6, %r1\nmov %r1, %r6\nmov %r2, " + fmt.length + "\nmov %r3, -5\nmov %r4, -1\n"
                + "mov %r5, 255\ncall 6\nexit");
        // Only three arguments: the rest of this format makes the kernel refuse it.
        assertEquals(-22, vm.run(p, f));
        assertTrue(log.lines().isEmpty());
        assertEquals("n=-5 u=4294967295 x=ff", TracePrintk.format(vm, "n=%d u=%u x=%llx", new long[] {-5, -1, 255}));
        assertEquals("[   42|7  |-0042] 100%", TracePrintk.format(vm, "[%5d|%-3x|%05d] 100%%", new long[] {42, 7, -42}));
        assertEquals("c=A p=00000000000000ff", TracePrintk.format(vm, "c=%c p=%px", new long[] {'A', 255, 0}));
        assertEquals(null, TracePrintk.format(vm, "%q", new long[] {1, 2, 3}));
        byte[] fmt2 = "s=%s v=%lu\n\0".getBytes(StandardCharsets.ISO_8859_1);
        long f2 = vm.region(fmt2, 0, fmt2.length, false);
        long s2 = vm.region(str, 0, str.length, false);
        VmProgram p2 = load("mov %r3, %r2\nmov %r2, " + fmt2.length + "\nmov %r4, 9\ncall 6\nexit");
        assertEquals("s=abc v=9\n".length(), vm.run(p2, f2, s2));
        assertEquals(List.of("s=abc v=9"), log.lines());
    }

    @Test
    void taskTimeRandomAndCpu() {
        Vm vm = new Vm();
        vm.env().task(new TaskIdentity(101, 100, 1000, 2000, "a-very-long-task-name")).cpu(2)
                .clocks(() -> 123, () -> 456).random(() -> -1);
        assertEquals(100L << 32 | 101, vm.run(load("call 14\nexit"), 0));
        assertEquals(2000L << 32 | 1000, vm.run(load("call 15\nexit"), 0));
        assertEquals(123, vm.run(load("call 5\nexit"), 0));
        assertEquals(456, vm.run(load("call 125\nexit"), 0));
        assertEquals(0xffffffffL, vm.run(load("call 7\nexit"), 0));
        assertEquals(2, vm.run(load("call 8\nexit"), 0));
        byte[] comm = new byte[16];
        long c = vm.region(comm, 0, 16, true);
        assertEquals(0, vm.run(load("mov %r2, 16\ncall 16\nexit"), c));
        assertArrayEquals("a-very-long-tas\0".getBytes(StandardCharsets.ISO_8859_1), comm);
    }

    @Test
    void helpersRejectMapsOfTheWrongType() {
        TestMaps.Ring ring = new TestMaps.Ring(64);
        VmException e = assertThrows(VmException.class, () -> new Vm().run(
                load("stw [%r10-4], 0\nldmapfd %r1, 100\nmov %r2, %r10\nadd %r2, -4\ncall 1\nexit", ring), 0));
        assertTrue(e.getMessage().contains("cannot pass map_type RINGBUF into func bpf_map_lookup_elem"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith("pc 5 (call 1)"), e.getMessage());
        e = assertThrows(VmException.class, () -> new Vm().run(load("mov %r1, 5\ncall 1\nexit"), 0));
        assertTrue(e.getMessage().contains("expected a map pointer"), e.getMessage());
    }
    /**
     * A run keeps one pointer per value array and one handle per map, however many it uses: the
     * first few are found in short arrays, the rest in maps, and both must give the same answer
     * to a second lookup in the same run. Ten maps with three elements each: pass one
     * stores each value's pointer on the stack and writes its number into it, pass two looks
     * every one up again, compares the pointer and reads the number back.
     */
    @Test
    void manyMapsAndValuesInOneRunKeepTheirPointers() {
        int n = 10;
        int per = 3;
        TestMaps.Array[] maps = new TestMaps.Array[n];
        for (int i = 0; i < n; i++) maps[i] = new TestMaps.Array(8, per, false);
        StringBuilder a = new StringBuilder();
        // Slot (m, e) of the saved pointers: below the key at -4, 8 bytes each.
        for (int pass = 0; pass < 2; pass++) {
            for (int m = 0; m < n; m++) {
                for (int e = 0; e < per; e++) {
                    int slot = -16 - 8 * (m * per + e);
                    a.append("stw [%r10-4], ").append(e).append('\n')
                            .append("ldmapfd %r1, ").append(100 + m).append('\n')
                            .append("mov %r2, %r10\nadd %r2, -4\ncall 1\njeq %r0, 0, missing\n");
                    if (pass == 0) {
                        a.append("stxdw [%r10").append(slot).append("], %r0\n")
                                .append("stdw [%r0], ").append(m * per + e + 1).append('\n');
                    } else {
                        a.append("ldxdw %r1, [%r10").append(slot).append("]\njne %r0, %r1, moved\n")
                                .append("ldxdw %r1, [%r0]\njne %r1, ").append(m * per + e + 1).append(", lost\n");
                    }
                }
            }
        }
        a.append("mov %r0, 0\nexit\nmissing:\nmov %r0, 1\nexit\nmoved:\nmov %r0, 2\nexit\nlost:\nmov %r0, 3\nexit");
        VmProgram p = load(a.toString(), maps);
        Vm vm = new Vm();
        assertEquals(0, vm.run(p, 0), "0 ok, 1 a lookup missed, 2 a pointer changed, 3 a value was not the one written");
        assertEquals(0, vm.run(p, 0), "and again in a second run on the same Vm");
        for (int m = 0; m < n; m++) {
            for (int e = 0; e < per; e++) {
                assertEquals(m * per + e + 1, le64(maps[m].lookup(new byte[] {(byte) e, 0, 0, 0}, 0)), "map " + m + " element " + e);
            }
        }
    }
}
