package io.bpf4j.it.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour suite on the windows backend: eBPF for Windows itself on Windows, the ABI
 * stand-in elsewhere. Four suite tests assume Linux where eBPF for Windows legitimately differs;
 * they are overridden here with the same checks in Windows' terms, each saying what differs:
 * there is no SOCKET_FILTER program type, maps take no flags (an LPM trie without
 * {@code NO_PREALLOC}), and program info has no tag.
 */
class WindowsBehaviourTest extends BehaviourSuite {
    private final WindowsBackend backend = new WindowsBackend();

    @Override
    protected Backend backend() {
        return backend;
    }

    /** XDP needs xdp-for-windows on Windows: without it the check cannot run there. */
    private void assumeXdp() {
        Support xdp = bpf.capabilities().programType(ProgramType.XDP);
        Assumptions.assumeTrue(xdp.supported(), () -> "XDP programs: " + xdp.reason());
    }

    /** Windows maps take no flags; its LPM tries allocate on demand without Linux's NO_PREALLOC. */
    @Test
    @Override
    void lpmTrieMatchesTheLongestPrefix() {
        BpfUnsupportedException flags = assertThrows(BpfUnsupportedException.class,
                () -> BpfMap.create(bpf, MapSpec.of(MapType.LPM_TRIE, 8, 8, 16).withFlags(MapFlags.NO_PREALLOC)));
        assertTrue(flags.reason().startsWith("not in eBPF for Windows"), flags.reason());
        try (BpfMap t = BpfMap.create(bpf, MapSpec.of(MapType.LPM_TRIE, 8, 8, 16))) {
            t.put(prefix(8, 10, 0, 0, 0), u64(8));
            t.put(prefix(16, 10, 1, 0, 0), u64(16));
            t.put(prefix(24, 10, 1, 2, 0), u64(24));
            assertEquals(24, u64(t.lookup(prefix(32, 10, 1, 2, 3)).orElseThrow(), 0));
            assertEquals(16, u64(t.lookup(prefix(32, 10, 1, 9, 9)).orElseThrow(), 0));
            assertEquals(8, u64(t.lookup(prefix(32, 10, 9, 9, 9)).orElseThrow(), 0));
            assertEquals(Optional.empty(), t.lookup(prefix(32, 11, 0, 0, 0)));
        }
    }

    /** As the suite's, except that Windows program info has no tag (bpf_prog_info has none). */
    @Test
    @Override
    void aProgramBuiltWithTheAssemblerRunsWithTestRun() {
        assumeXdp();
        try (BpfMap counter = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1).withName("runs"));
             BpfProgram prog = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP,
                     Programs.countInto(counter.fd(), 2), "GPL").withName("count_pass"))) {
            TestRunResult r = prog.testRun(TestRunSpec.ofData(new byte[64]).withRepeat(5));
            assertEquals(2, r.retval(), "XDP_PASS");
            assertEquals(5, u64(counter.lookup(u32(0)).orElseThrow(), 0), "the program ran once per repetition");
            ProgramInfo info = prog.info();
            assertEquals(ProgramType.XDP, info.type());
            assertEquals("count_pass", info.name());
            assertTrue(info.id() > 0);
            assertEquals("", info.tag(), "Windows reports no tag");
            assertArrayEquals(new int[] {counter.info().id()}, info.mapIds());
        }
    }

    /** As the suite's, with XDP: Windows has no SOCKET_FILTER programs. */
    @Test
    @Override
    void aProgramWithoutExitFailsVerificationWithALog() {
        long[] noExit = new io.bpf4j.api.asm.Asm().mov64(io.bpf4j.api.asm.Register.R0, 0).toArray();
        assertThrows(BpfUnsupportedException.class,
                () -> BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SOCKET_FILTER, noExit, "GPL")));
        assumeXdp();
        VerifierException e = assertThrows(VerifierException.class,
                () -> BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, noExit, "GPL")));
        assertFalse(e.log().isBlank(), "the verifier log is kept");
    }

    /** As the suite's, with an XDP program: Windows has no SOCKET_FILTER programs. */
    @Test
    @Override
    void pinnedObjectsCanBeReopened() {
        assumeXdp();
        String mapPath = pinDir() + "/counts";
        String progPath = pinDir() + "/prog";
        try {
            int mapId;
            int progId;
            try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 4).withName("pinned"));
                 BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, Programs.returning(2), "GPL"))) {
                m.put(u32(1), u64(42));
                m.pin(mapPath);
                p.pin(progPath);
                mapId = m.info().id();
                progId = p.info().id();
                BpfException twice = assertThrows(BpfException.class, () -> m.pin(mapPath));
                assertEquals(Errno.EEXIST, twice.errno());
            }
            try (BpfMap again = BpfMap.pinned(bpf, mapPath); BpfProgram p = BpfProgram.pinned(bpf, progPath)) {
                assertEquals(mapId, again.info().id(), "the pin kept the same map alive");
                assertEquals("pinned", again.name());
                assertEquals(42, u64(again.lookup(u32(1)).orElseThrow(), 0));
                assertEquals(progId, p.info().id());
                assertEquals(ProgramType.XDP, p.type());
            }
            BpfException none = assertThrows(BpfException.class, () -> BpfMap.pinned(bpf, pinDir() + "/nothing"));
            assertEquals(Errno.ENOENT, none.errno());
        } finally {
            unpin(mapPath);
            unpin(progPath);
        }
    }
}
