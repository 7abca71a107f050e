package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Availability;
import io.bpf4j.api.BatchResult;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.Support;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Error paths through a fake chokepoint: no root, no kernel. */
class FakeKernelTest {
    private static final int FD = 99_999; // no such descriptor in this process, so no /proc check applies
    private static final int CREATE = LinuxUapi.cmd(Operation.MAP_CREATE);
    private static final int UPDATE = LinuxUapi.cmd(Operation.MAP_UPDATE_ELEM);
    private static final int INFO = LinuxUapi.cmd(Operation.OBJ_GET_INFO_BY_FD);

    static Capabilities all(Support s) {
        Capabilities.Builder b = Capabilities.builder();
        for (Operation o : Operation.values()) b.operation(o, s);
        for (MapType t : MapType.values()) b.mapType(t, s);
        for (ProgramType t : ProgramType.values()) b.programType(t, s);
        for (AttachType t : AttachType.values()) b.attachType(t, s);
        for (LinkType t : LinkType.values()) b.linkType(t, s);
        return b.build();
    }

    private final FakeSyscalls fake = new FakeSyscalls();
    private final LinuxBpf bpf = new LinuxBpf(fake, 2, all(Support.YES));

    /** A map the backend created through the fake: hash 4/8 named "fake". */
    private int hash() {
        fake.script = (f, cmd, a) -> FD;
        return bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4).withName("fake"));
    }

    /** Answers OBJ_GET_INFO_BY_FD as the kernel would for that map, else asks {@code rest}. */
    private static FakeSyscalls.Script withInfo(FakeSyscalls.Script rest) {
        return (f, cmd, a) -> {
            if (cmd != INFO) return rest.answer(f, cmd, a);
            ByteBuffer info = f.at(a.getLong(8));
            info.putInt(0, LinuxUapi.mapType(MapType.HASH)).putInt(8, 4).putInt(12, 8).putInt(16, 4);
            info.put(24, "fake".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return 0;
        };
    }

    @Test
    void kernelErrorsBecomeBpfExceptions() {
        int m = hash();
        fake.script = withInfo((f, cmd, a) -> cmd == UPDATE ? -7 : -2);
        BpfException e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(m, new byte[4], new byte[8], 0));
        assertEquals("linux: MAP_UPDATE_ELEM map \"fake\": E2BIG (7)", e.getMessage());
        assertEquals(7, e.rawErrno());
        assertEquals("linux", e.backend());
        assertFalse(bpf.mapLookupElem(m, new byte[4], new byte[8], 0), "ENOENT is a missing key");
        assertFalse(bpf.mapDeleteElem(m, new byte[4]));
        fake.script = withInfo((f, cmd, a) -> -524);
        e = assertThrows(BpfException.class, () -> bpf.mapLookupElem(m, new byte[4], new byte[8], 0));
        assertEquals(Errno.ENOTSUPP, e.errno());
    }

    @Test
    void elementCommandsPassOnlyTheirPartOfTheAttr() {
        int m = hash();
        fake.script = withInfo((f, cmd, a) -> 0);
        int first = fake.sizes.size();
        bpf.mapUpdateElem(m, new byte[4], new byte[8], 0);
        bpf.mapLookupElem(m, new byte[4], new byte[8], 0);
        bpf.mapDeleteElem(m, new byte[4]);
        bpf.mapGetNextKey(m, null, new byte[4]);
        java.util.List<Integer> elem = new java.util.ArrayList<>();
        for (int i = first; i < fake.calls.size(); i++) if (fake.calls.get(i) != INFO) elem.add(fake.sizes.get(i));
        assertEquals(java.util.List.of(32, 32, 32, 32), elem, "offsetofend(union bpf_attr, flags), as libbpf passes");
        fake.script = (f, cmd, a) -> FD;
        bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4));
        assertEquals(io.bpf4j.linux.internal.uapi.BpfAttr.SIZE, fake.sizes.get(fake.sizes.size() - 1), "other commands pass it all");
    }

    /**
     * Huge room for test-run output and the verifier log is bounded by what the kernel can return
     * (struct test: data_size_out 12, data_out 24, ctx_size_out 44, ctx_out 56; prog load:
     * log_size 28, log_buf 32), and every buffer is as large as the size handed with it.
     */
    @Test
    void hugeRoomIsBoundedAndBacked() {
        int testRun = LinuxUapi.cmd(Operation.PROG_TEST_RUN);
        int load = LinuxUapi.cmd(Operation.PROG_LOAD);
        java.util.List<String> seen = new java.util.ArrayList<>();
        fake.script = (f, cmd, a) -> {
            if (cmd == testRun) {
                for (int[] sz : new int[][] {{12, 24}, {44, 56}}) {
                    int size = a.getInt(sz[0]);
                    assertTrue(size > 0 && size <= 16 << 20, "room handed to the kernel: " + size);
                    assertTrue(f.at(a.getLong(sz[1])).capacity() >= size, "buffer smaller than its size");
                    seen.add("test " + size);
                }
                return 0;
            }
            if (cmd == load) {
                int size = a.getInt(28);
                assertTrue(size > 0 && size <= 16 << 20, "log room handed to the kernel: " + size);
                assertTrue(f.at(a.getLong(32)).capacity() >= size, "log buffer smaller than its size");
                seen.add("log " + size);
                return FD;
            }
            return 0;
        };
        bpf.progLoad(ProgramSpec.of(ProgramType.XDP, new long[] {0xb7, 0x95}, "GPL").withLog(1, Integer.MAX_VALUE));
        bpf.progTestRun(FD, new TestRunSpec(new byte[64], Integer.MAX_VALUE, new byte[24], Integer.MAX_VALUE, 1, 0, 0, 0));
        assertEquals(java.util.List.of("log " + (16 << 20), "test " + (16 << 20), "test " + (16 << 20)), seen);
    }

    @Test
    void badInputNeverReachesTheKernel() {
        int m = hash();
        fake.script = withInfo((f, cmd, a) -> 0);
        int before = fake.calls.size();
        assertThrows(IllegalArgumentException.class, () -> bpf.mapUpdateElem(m, new byte[5], new byte[8], 0));
        assertThrows(IllegalArgumentException.class, () -> bpf.mapLookupElem(m, new byte[4], new byte[16], 0));
        assertThrows(IllegalArgumentException.class, () -> bpf.mapLookupElem(m, new byte[4], new byte[8], 1));
        assertThrows(IllegalArgumentException.class, () -> bpf.mapGetNextKey(m, null, new byte[2]));
        assertThrows(IllegalArgumentException.class,
                () -> bpf.mapLookupBatch(m, null, new byte[2], new byte[4], new byte[8], 1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> bpf.mapUpdateBatch(m, new byte[4], new byte[8], 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> bpf.progTestRun(-3, TestRunSpec.ofData(new byte[14])));
        assertThrows(IllegalArgumentException.class, () -> bpf.read(FD, new byte[4], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> bpf.objPin(FD, ""));
        // A bare descriptor's layout comes from the kernel first; nothing past that info call runs.
        assertEquals(java.util.List.of(), fake.calls.subList(before, fake.calls.size()).stream()
                .filter(c -> c != INFO).toList(), "no native call for bad input but the layout's info");
    }

    @Test
    void perCpuValuesAreRoundedAndMultiplied() {
        fake.script = (f, cmd, a) -> FD;
        int m = bpf.mapCreate(MapSpec.of(MapType.PERCPU_ARRAY, 4, 12, 1));
        fake.script = (f, cmd, a) -> {
            if (cmd == INFO) f.at(a.getLong(8)).putInt(0, LinuxUapi.mapType(MapType.PERCPU_ARRAY)).putInt(8, 4).putInt(12, 12);
            return 0;
        };
        bpf.mapLookupElem(m, new byte[4], new byte[16 * 2], 0); // round_up(12, 8) * 2 CPUs
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bpf.mapLookupElem(m, new byte[4], new byte[12], 0));
        assertTrue(e.getMessage().contains("32"), e.getMessage());
    }

    @Test
    void aBareDescriptorsLayoutIsReadEveryCallThroughADuplicateTheCommandThenUses() {
        java.util.List<Integer> infoFds = new java.util.ArrayList<>();
        java.util.List<Integer> lookupFds = new java.util.ArrayList<>();
        fake.script = (f, cmd, a) -> {
            if (cmd == INFO) {
                infoFds.add(a.getInt(0));
                ByteBuffer info = f.at(a.getLong(8));
                info.putInt(0, LinuxUapi.mapType(MapType.ARRAY)).putInt(8, 4).putInt(12, 2).putInt(16, 1);
            } else {
                lookupFds.add(a.getInt(0));
            }
            return 0;
        };
        int before = fake.other.size();
        assertTrue(bpf.mapLookupElem(4242_0, new byte[4], new byte[2], 0));
        assertTrue(bpf.mapLookupElem(4242_0, new byte[4], new byte[2], 0));
        // The fake's dup answers fd + 3: info and command both ran on the duplicate, never on
        // the caller's number, and the duplicate was closed after each call.
        assertEquals(java.util.List.of(4242_3, 4242_3), infoFds);
        assertEquals(java.util.List.of(4242_3, 4242_3), lookupFds);
        assertEquals(java.util.List.of("dup 42420", "close 42423", "dup 42420", "close 42423"),
                fake.other.subList(before, fake.other.size()));
    }

    @Test
    void loadRetriesEagainThenLogsAndGrowsTheBuffer() {
        int[] attempts = {0};
        fake.script = (f, cmd, a) -> ++attempts[0] <= 2 ? -11 : FD;
        assertEquals(FD, bpf.progLoad(ProgramSpec.of(ProgramType.XDP, Insn.ret(2), "GPL")).fd());
        assertEquals(3, attempts[0]);

        java.util.List<Integer> logSizes = new java.util.ArrayList<>();
        fake.script = (f, cmd, a) -> {
            int size = a.getInt(28);
            logSizes.add(size);
            if (size == 0) return -13; // no log: fail, the backend asks again with one
            if (size < 200_000) {
                a.putInt(140, 200_000); // log_true_size
                return -28;
            }
            ByteBuffer log = f.at(a.getLong(32));
            log.put("0: R1=ctx() R10=fp0\nR0 !read_ok\n".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
            return -13;
        };
        VerifierException e = assertThrows(VerifierException.class,
                () -> bpf.progLoad(ProgramSpec.of(ProgramType.XDP, new long[] {Insn.exit()}, "GPL")));
        assertTrue(e.log().contains("R0 !read_ok"));
        assertEquals(java.util.List.of(0, 64 * 1024, 200_000), logSizes);
        assertEquals(Errno.EACCES, e.errno());
    }

    @Test
    void testRunReportsTheNeededSize() {
        fake.script = (f, cmd, a) -> {
            a.putInt(12, 100);
            return -28;
        };
        BpfException e = assertThrows(BpfException.class,
                () -> bpf.progTestRun(FD, new TestRunSpec(new byte[64], 10, null, 0, 1, 0, 0, 0)));
        assertEquals(Errno.ENOSPC, e.errno());
        assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
    }

    @Test
    void batchEndKeepsTheCount() {
        int m = hash();
        fake.script = withInfo((f, cmd, a) -> {
            a.putInt(32, 3);
            return -2;
        });
        BatchResult r = bpf.mapLookupBatch(m, null, new byte[4], new byte[4 * 8], new byte[8 * 8], 8, 0, 0);
        assertEquals(new BatchResult(3, true), r);
    }

    @Test
    void queryGrowsUntilEverythingFits() {
        int[] call = {0};
        fake.script = (f, cmd, a) -> {
            call[0]++;
            if (call[0] == 1) {
                a.putInt(24, 2);
                return 0;
            }
            int room = a.getInt(24);
            if (room < 5) {
                a.putInt(24, 5);
                return -28;
            }
            ByteBuffer ids = f.at(a.getLong(16));
            for (int i = 0; i < 5; i++) ids.putInt(i * 4, 100 + i);
            a.putInt(24, 5);
            a.putLong(56, 9);
            return 0;
        };
        QueryResult q = bpf.progQuery(new QuerySpec(7, AttachType.TCX_INGRESS, 0));
        assertEquals(5, q.programIds().length);
        assertEquals(104, q.programIds()[4]);
        assertEquals(9, q.revision());
    }

    @Test
    void unsupportedThrowsBeforeTheNativeCall() {
        LinuxBpf none = new LinuxBpf(fake, 1, all(Support.no("not in this test kernel")));
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                () -> none.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 1)));
        assertEquals("not in this test kernel", e.reason());
        assertEquals(0, fake.calls.size());
    }

    /**
     * eBPF for Windows' own program types are refused before any call even when a preset report
     * claims every type (the gate does not take them from a preset, and probes nothing for them).
     */
    @Test
    void windowsOnlyProgramTypesNeverReachTheKernel() {
        fake.script = (f, cmd, a) -> FD;
        LinuxBpf probing = new LinuxBpf(fake, 1);
        // The probing backend probes PROG_LOAD itself first; that probe is not what is counted.
        assertTrue(probing.capabilities().operation(Operation.PROG_LOAD).supported());
        for (LinuxBpf b : List.of(bpf, probing)) {
            for (ProgramType t : ProgramType.values()) {
                if (!t.windowsOnly()) continue;
                int before = fake.calls.size();
                BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                        () -> b.progLoad(ProgramSpec.of(t, Insn.ret(0), "GPL")));
                assertTrue(e.reason().startsWith("eBPF for Windows only program type: " + t), e.reason());
                assertEquals(before, fake.calls.size(), t + ": no call");
            }
        }
        // The report says so too, the preset's claim notwithstanding.
        for (ProgramType t : ProgramType.values()) {
            if (t.windowsOnly()) {
                assertFalse(bpf.capabilities().programType(t).supported(), t.toString());
                assertTrue(bpf.capabilities().programType(t).reason().startsWith("eBPF for Windows only program type"));
            }
        }
    }

    @Test
    void probesExplainWhatTheKernelLacks() {
        // A kernel that knows no map type but HASH (and lets every other call fail with EINVAL).
        fake.script = (f, cmd, a) -> cmd == CREATE && a.getInt(0) == LinuxUapi.mapType(MapType.HASH) ? FD : -22;
        LinuxBpf probing = new LinuxBpf(fake, 1);
        Support s = probing.capabilities().mapType(MapType.ARENA);
        assertFalse(s.supported());
        assertTrue(s.reason().contains("BPF_MAP_TYPE_ARENA"), s.reason());
        assertTrue(probing.capabilities().mapType(MapType.HASH).supported());
        assertTrue(probing.capabilities().operation(Operation.MAP_CREATE).supported());
        assertFalse(probing.capabilities().programType(ProgramType.XDP).supported());
        assertEquals(MapType.values().length, probing.capabilities().mapTypes().size());
        int before = fake.calls.size();
        assertThrows(BpfUnsupportedException.class, () -> probing.progLoad(ProgramSpec.of(ProgramType.XDP, Insn.ret(2), "GPL")));
        assertEquals(before, fake.calls.size(), "the gate refuses before any native call");
    }

    @Test
    void availabilityExplainsADeniedBpf() {
        FakeSyscalls denied = new FakeSyscalls();
        denied.script = (f, cmd, a) -> -1;
        io.bpf4j.linux.internal.ProcessCaps none = io.bpf4j.linux.internal.ProcessCaps.parse("CapEff:\t0000000000000000\n");
        Availability a = LinuxProvider.probe(denied, none);
        assertFalse(a.available());
        assertEquals("bpf() denied: not permitted: BPF_MAP_CREATE returned EPERM and this process lacks CAP_BPF;"
                + " run as root or grant CAP_BPF", a.reason());
        // With CAP_BPF in effect the advice is not to grant it.
        io.bpf4j.linux.internal.ProcessCaps bpfCap = io.bpf4j.linux.internal.ProcessCaps.parse("CapEff:\t0000008000000000\n");
        String r = LinuxProvider.probe(denied, bpfCap).reason();
        assertTrue(r.contains("no capability is missing") && !r.contains("grant"), r);
        // Walking ids needs CAP_SYS_ADMIN; a process that may create maps is not turned away for that.
        int nextId = io.bpf4j.linux.internal.uapi.LinuxUapi.cmd(Operation.PROG_GET_NEXT_ID);
        denied.script = (f, cmd, x) -> cmd == nextId ? -1 : 5;
        assertTrue(LinuxProvider.probe(denied, bpfCap).available());
        assertTrue(denied.other.contains("close 5"), "the map made to ask was closed: " + denied.other);
        denied.script = (f, cmd, x) -> -38;
        assertTrue(LinuxProvider.probe(denied).reason().contains("ENOSYS"));
        denied.script = (f, cmd, x) -> -2;
        assertTrue(LinuxProvider.probe(denied).available());
    }

    @Test
    void cpuListsParse() {
        assertEquals(1, io.bpf4j.linux.internal.Cpus.count("0\n"));
        assertEquals(3, io.bpf4j.linux.internal.Cpus.count("0-1,4"));
        assertEquals(8, io.bpf4j.linux.internal.Cpus.count("0-3,8-11"));
        assertThrows(IllegalArgumentException.class, () -> io.bpf4j.linux.internal.Cpus.count("x"));
    }
}
