package io.bpf4j.linux;

import static io.bpf4j.linux.Insn.R0;
import static io.bpf4j.linux.Insn.R1;
import static io.bpf4j.linux.Insn.R2;
import static io.bpf4j.linux.Insn.R10;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Program load, the verifier log protocol, test runs and bind map against the real kernel. */
@ExtendWith(LeakCheck.class)
class ProgCommandsTest {
    private static final int XDP_PASS = 2;
    private static LinuxBpf bpf;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void open() throws Exception {
        skip = Need.inBeforeAll(RealKernel::require);
        if (skip != null) return;
        bpf = RealKernel.open();
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void close() {
        if (bpf != null) bpf.close();
    }

    @Test
    void loadAndInfo() {
        LoadResult r = bpf.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, Insn.ret(0), "GPL").withName("trivial"));
        try {
            assertEquals("", r.log(), "no log unless asked for");
            ProgramInfo info = bpf.progGetInfo(r.fd());
            assertEquals(ProgramType.SOCKET_FILTER, info.type());
            assertEquals("trivial", info.name());
            assertEquals(16, info.xlatedSize(), "two instructions");
            assertTrue(info.tag().matches("[0-9a-f]{16}"), info.tag());
            assertTrue(info.gplCompatible());
            assertTrue(info.id() > 0);
            assertTrue(info.verifiedInstructions() >= 2);
            assertEquals(0, info.mapIds().length);
        } finally {
            bpf.closeFd(r.fd());
        }
    }

    @Test
    void verifierRefusalCarriesTheWholeLog() {
        // exit without setting r0: the verifier says "R0 !read_ok".
        ProgramSpec bad = ProgramSpec.of(ProgramType.SOCKET_FILTER, new long[] {Insn.exit()}, "GPL").withName("bad");
        VerifierException e = assertThrows(VerifierException.class, () -> bpf.progLoad(bad));
        assertEquals(Errno.EACCES, e.errno());
        assertTrue(e.log().contains("R0 !read_ok"), e.log());
        assertTrue(e.getMessage().contains("program \"bad\""), e.getMessage());
    }

    @Test
    void logOnRequestGrowsFromATinyBuffer() {
        long[] insns = new long[200];
        for (int i = 0; i < 199; i++) insns[i] = Insn.mov64(R0, i);
        insns[199] = Insn.exit();
        // 128 bytes cannot hold a level-2 log of 200 instructions: the kernel answers ENOSPC and
        // the backend loads again with the size the kernel asked for. The recording chokepoint
        // shows both loads, so a backend that ignored the 128 and started big would fail here.
        RecordingSyscalls rec = new RecordingSyscalls();
        try (LinuxBpf recorded = new LinuxBpf(rec, bpf.possibleCpus(), bpf.capabilities())) {
            LoadResult r = recorded.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, insns, "GPL").withLog(2, 128));
            try {
                java.util.List<RecordingSyscalls.Call> loads = rec.calls(LinuxUapi.cmd(io.bpf4j.api.Operation.PROG_LOAD));
                assertTrue(loads.size() >= 2, "one load with 128 bytes, then a larger one: " + loads);
                assertEquals(-28, loads.get(0).rc(), "the first load, with 128 bytes of log, fails with ENOSPC: " + loads);
                assertEquals(r.fd(), loads.get(loads.size() - 1).rc(), "the last load is the one that worked");
                assertTrue(r.log().length() > 128, "log length " + r.log().length());
                assertTrue(r.log().contains("processed 200 insns"), r.log());
            } finally {
                recorded.closeFd(r.fd());
            }
        }
    }

    @Test
    void testRunXdpWithDataAndContext() {
        int p = bpf.progLoad(ProgramSpec.of(ProgramType.XDP, Insn.ret(XDP_PASS), "GPL")).fd();
        try {
            byte[] packet = new byte[64];
            for (int i = 0; i < packet.length; i++) packet[i] = (byte) i;
            TestRunResult r = bpf.progTestRun(p, TestRunSpec.ofData(packet).withRepeat(10));
            assertEquals(XDP_PASS, r.retval());
            assertEquals(64, r.dataSizeOut());
            assertArrayEquals(packet, r.dataOut());
            // The kernel reports the mean time of a run in whole nanoseconds; even a two-instruction
            // program takes some, so 0 would mean the field was never decoded.
            assertTrue(r.durationNs() > 0, "duration " + r.durationNs());
            assertTrue(r.durationNs() < 1_000_000_000L, "duration " + r.durationNs());
            // struct xdp_md in and out: data 0, data_end = packet length (net/bpf/test_run.c).
            byte[] ctx = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 64).array();
            TestRunResult c = bpf.progTestRun(p, TestRunSpec.ofData(packet).withContext(ctx, 24));
            assertEquals(24, c.ctxOut().length);
            assertEquals(64, ByteBuffer.wrap(c.ctxOut()).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
            // Too little room for the output data: ENOSPC with the size the program produced.
            BpfException e = assertThrows(BpfException.class,
                    () -> bpf.progTestRun(p, new TestRunSpec(packet, 10, null, 0, 1, 0, 0, 0)));
            assertEquals(Errno.ENOSPC, e.errno());
            assertTrue(e.getMessage().contains("64 bytes"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> bpf.progTestRun(p, new TestRunSpec(packet, 64, null, 0, 1, 1 << 9, 0, 0)));
        } finally {
            bpf.closeFd(p);
        }
    }

    /**
     * Room is what the kernel may write: 2 GiB of room for data and context and a 2 GiB log give
     * the outcome of the exact room (FakeKernelTest checks that the room handed over is bounded).
     */
    @Test
    void hugeRoomGivesTheOutcomeOfTheExactRoom() {
        LoadResult l = bpf.progLoad(ProgramSpec.of(ProgramType.XDP, Insn.ret(XDP_PASS), "GPL").withLog(1, Integer.MAX_VALUE));
        int p = l.fd();
        try {
            assertTrue(l.log().contains("processed"), l.log());
            byte[] packet = new byte[64];
            byte[] ctx = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 64).array();
            TestRunResult r = bpf.progTestRun(p, new TestRunSpec(packet, Integer.MAX_VALUE, ctx, Integer.MAX_VALUE, 1, 0, 0, 0));
            assertEquals(XDP_PASS, r.retval());
            assertEquals(64, r.dataSizeOut());
            assertEquals(64, r.dataOut().length);
            assertEquals(24, r.ctxOut().length);
        } finally {
            bpf.closeFd(p);
        }
    }

    @Test
    void testRunSyscallProgramReadsItsContext() {
        // r0 = *(u32 *)(r1 + 0): the syscall program returns the first word of its context.
        long[] insns = {Insn.word(0x61, R0, R1, 0, 0), Insn.exit()};
        Need.kernelHas(ProgramType.SYSCALL);
        LoadResult r = bpf.progLoad(ProgramSpec.of(ProgramType.SYSCALL, insns, "GPL").withFlags(io.bpf4j.api.ProgramFlags.SLEEPABLE));
        try {
            byte[] ctx = MapCommandsTest.u32(0x1234);
            TestRunResult t = bpf.progTestRun(r.fd(), new TestRunSpec(null, 0, ctx, 0, 0, 0, 0, 0));
            assertEquals(0x1234, t.retval());
        } finally {
            bpf.closeFd(r.fd());
        }
    }

    @Test
    void testRunSyscallProgramWritesItsContextBack() {
        // *(u32 *)(r1 + 4) = 42; r0 = 7: the kernel copies the context back into ctx_in, and
        // TestRunSpec.ofContext (repeat 0, no ctx_out, as Linux requires) returns it as ctxOut.
        long[] insns = {Insn.stw(R1, 4, 42), Insn.mov64(R0, 7), Insn.exit()};
        Need.kernelHas(ProgramType.SYSCALL);
        LoadResult r = bpf.progLoad(ProgramSpec.of(ProgramType.SYSCALL, insns, "GPL").withFlags(io.bpf4j.api.ProgramFlags.SLEEPABLE));
        try {
            byte[] ctx = new byte[8];
            TestRunResult t = bpf.progTestRun(r.fd(), TestRunSpec.ofContext(ctx));
            assertEquals(7, t.retval());
            assertArrayEquals(new byte[] {0, 0, 0, 0, 42, 0, 0, 0}, t.ctxOut());
            assertArrayEquals(new byte[8], ctx, "the caller's array is not written");
        } finally {
            bpf.closeFd(r.fd());
        }
    }

    @Test
    void mapIdsAndBindMap() {
        int used = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 1));
        int bound = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
        long[] insns = Insn.of(Insn.ldMapFd(R1, used), Insn.stw(R10, -4, 0), Insn.mov64Reg(R2, R10), Insn.add64(R2, -4),
                Insn.call(1), Insn.mov64(R0, 0), Insn.exit());
        int p = bpf.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, insns, "GPL")).fd();
        try {
            int usedId = bpf.mapGetInfo(used).id();
            int boundId = bpf.mapGetInfo(bound).id();
            assertArrayEquals(new int[] {usedId}, bpf.progGetInfo(p).mapIds());
            bpf.progBindMap(p, bound, 0);
            int[] ids = bpf.progGetInfo(p).mapIds();
            Arrays.sort(ids);
            int[] want = {usedId, boundId};
            Arrays.sort(want);
            assertArrayEquals(want, ids);
            assertThrows(IllegalArgumentException.class, () -> bpf.progBindMap(p, bound, 1));
        } finally {
            bpf.closeFd(p);
            bpf.closeFd(used);
            bpf.closeFd(bound);
        }
    }

    @Test
    void fdArrayAndExpectedAttachType() {
        int m = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
        // BPF_PSEUDO_MAP_IDX (src 5): the map is fd_array[0].
        long[] insns = Insn.of(new long[] {Insn.word(0x18, R1, 5, 0, 0), 0L}, Insn.stw(R10, -4, 0), Insn.mov64Reg(R2, R10),
                Insn.add64(R2, -4), Insn.call(1), Insn.mov64(R0, 1), Insn.exit());
        int p = bpf.progLoad(ProgramSpec.of(ProgramType.CGROUP_SOCK_ADDR, insns, "GPL")
                .withExpectedAttachType(AttachType.CGROUP_INET4_CONNECT).withFdArray(m)).fd();
        try {
            assertEquals(1, bpf.progGetInfo(p).mapIds().length);
        } finally {
            bpf.closeFd(p);
            bpf.closeFd(m);
        }
    }

    @Test
    void streamReadOfAQuietProgramIsEmpty() {
        int p = bpf.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, Insn.ret(0), "GPL")).fd();
        try {
            Need.kernelHas(io.bpf4j.api.Operation.PROG_STREAM_READ_BY_FD);
            assertEquals(0, bpf.progStreamReadByFd(p, 2, new byte[64]));
            assertThrows(IllegalArgumentException.class, () -> bpf.progStreamReadByFd(p, 3, new byte[64]));
        } finally {
            bpf.closeFd(p);
        }
    }

    @Test
    void unknownFlagsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> bpf.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, Insn.ret(0), "GPL").withFlags(1 << 20)));
    }
}
