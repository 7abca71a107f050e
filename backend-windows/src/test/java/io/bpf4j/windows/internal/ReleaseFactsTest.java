package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import io.bpf4j.api.asm.Size;
import io.bpf4j.windows.StandIn;
import io.bpf4j.windows.WindowsBpf;
import io.bpf4j.windows.internal.sys.Export;
import io.bpf4j.windows.internal.uapi.WinErrors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviours that differ between eBPF for Windows releases, each on the stand-in built as
 * that release: the verifier log, NativeOnly builds, the last error, pin paths, the ring sizes of
 * the capability probe. Each check fails on what the backend did before it followed efW.
 */
class ReleaseFactsTest {

    @AfterAll
    static void cleanUp() {
        StandIn.cleanUp();
    }

    /** A program the verifier refuses after 400 instructions, so its log is some 10 KB. */
    static long[] longFailingProgram() {
        Asm a = new Asm().mov64(Register.R0, 0);
        for (int i = 0; i < 400; i++) a.add64(Register.R0, 1);
        return a.ldx(Size.W, Register.R0, Register.R10, 8).exit().toArray();   // reads above the stack frame
    }

    /**
     * At 0.21.x a log longer than the buffer ends the process (strcpy_s,
     * ebpf_api.cpp@Release-v0.21.0:3302-3307): the backend must not start small and grow, even
     * when the caller asks for a small log. The stand-in counts what would have ended the process.
     */
    @ParameterizedTest
    @ValueSource(strings = {"syscall", "libbpf"})
    void at021TheLogBufferIsNeverTooSmall(String calls) {
        Path lib = StandIn.library(StandIn.RELEASE_0_21);
        WinBackend w = StandInBackendTest.open(StandIn.RELEASE_0_21, calls, "ffm");
        assertEquals(Release.V0_21, w.release);
        int before = StandIn.invalidParameters(lib);
        VerifierException e = assertThrows(VerifierException.class, () -> w.progLoad(
                ProgramSpec.of(ProgramType.XDP, longFailingProgram(), "").withLog(1, 4096)));
        assertEquals(before, StandIn.invalidParameters(lib), "the load would have ended the process on Windows");
        assertTrue(e.log().length() > 4096, () -> "the whole log, " + e.log().length() + " bytes");
        VerifierException unasked = assertThrows(VerifierException.class,
                () -> w.progLoad(ProgramSpec.of(ProgramType.XDP, longFailingProgram(), "")));
        assertFalse(unasked.log().isBlank(), "a failed load is explained");
        assertEquals(before, StandIn.invalidParameters(lib));
    }

    /**
     * From 1.0.0-rc1 a short buffer gives ENOSPC and the size needed (bpf() writes
     * log_true_size): the log grows to fit, from whatever size was asked for.
     */
    @ParameterizedTest
    @ValueSource(strings = {"syscall", "libbpf"})
    void from1TheLogGrowsOnEnospc(String calls) {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, calls, "ffm");
        assertTrue(w.release.logSpaceIsChecked(), w.callMode());
        VerifierException e = assertThrows(VerifierException.class, () -> w.progLoad(
                ProgramSpec.of(ProgramType.XDP, longFailingProgram(), "").withLog(1, 4096)));
        assertTrue(e.log().length() > 4096, () -> "the whole log, " + e.log().length() + " bytes");
        assertTrue(e.log().contains("invalid"), e.log().substring(e.log().length() - 200));
    }

    /**
     * A NativeOnly build cannot JIT: bpf() says so with ERROR_NOT_SUPPORTED from 1.0.0-rc1, but
     * bpf_prog_load (which bpf() calls at 0.21.x) says -ENOTSUP at every release. The capability
     * report and a load both say why, in both call modes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"native-only-0.21/syscall", "native-only-0.21/libbpf", "native-only/syscall", "native-only/libbpf"})
    void nativeOnlyBuildsCannotLoadBytecode(String variantAndCalls) {
        String[] v = variantAndCalls.split("/");
        WinBackend w = StandInBackendTest.open(v[0], v[1], "ffm");
        Support load = w.capabilities().operation(Operation.PROG_LOAD);
        assertFalse(load.supported(), "a NativeOnly build reported as able to load bytecode");
        assertEquals(ProgOps.NATIVE_ONLY, load.reason());
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> w.progLoad(
                ProgramSpec.of(ProgramType.XDP, new Asm().mov64(Register.R0, 1).exit().toArray(), "")));
        assertEquals(ProgOps.NATIVE_ONLY, e.reason());
        assertTrue(w.capabilities().operation(Operation.MAP_CREATE).supported(), "maps need no JIT");
    }

    /**
     * bpf() leaves the last error alone on its ordinary EINVAL paths, so an old ERROR_NOT_SUPPORTED
     * on the thread must not make a failing load look like a NativeOnly build.
     */
    @Test
    void aStaleLastErrorDoesNotMakeLoadingUnsupported() {
        Path lib = StandIn.library(StandIn.FULL);
        WinBackend w = StandInBackendTest.open(StandIn.FULL, "syscall", "ffm");
        w.capabilities();
        long[] unknownOpcode = {0xffL, 0x95L};
        StandIn.setLastError(lib, WinErrors.ERROR_NOT_SUPPORTED);
        BpfException e = assertThrows(BpfException.class,
                () -> w.progLoad(ProgramSpec.of(ProgramType.XDP, unknownOpcode, "")));
        assertFalse(e instanceof BpfUnsupportedException, () -> "a stale last error was read: " + e.getMessage());
        assertEquals(Errno.EINVAL, e.errno());
    }

    /** 0.21.x lacks ebpf_canonicalize_pin_path and stores pins under the path as given. */
    @Test
    void at021PinsAreStoredAsGiven() {
        WinBackend w = StandInBackendTest.open(StandIn.RELEASE_0_21, null, "ffm");
        assertFalse(w.api.has(Export.EBPF_CANONICALIZE_PIN_PATH));
        assertTrue(w.callMode().endsWith("eBPF for Windows 0.21.0 or later"), w.callMode());
        BpfUnsupportedException canon = assertThrows(BpfUnsupportedException.class, () -> w.canonicalizePinPath("x"));
        assertTrue(canon.reason().contains("1.0.0-rc1"), canon.reason());
        String path = "/sys/fs/bpf/bpf4j-" + ProcessHandle.current().pid() + "/raw";
        int fd = w.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4));
        try {
            w.objPin(fd, path);
            List<WindowsBpf.PinnedObject> pins = w.pinnedObjects(WindowsBpf.ObjectKind.MAP);
            assertTrue(pins.contains(new WindowsBpf.PinnedObject(path, WindowsBpf.ObjectKind.MAP)), pins::toString);
            BpfException canonical = assertThrows(BpfException.class,
                    () -> w.objGet("BPF:" + path.replace('/', '\\'), 0), "no canonical form at 0.21.x");
            assertEquals(Errno.ENOENT, canonical.errno());
            w.closeFd(w.objGet(path, 0));
            w.objUnpin(path);
        } finally {
            w.closeFd(fd);
        }
    }

    /** Both releases: the library's canonical form and the backend's agree, corners included. */
    @Test
    void canonicalFormsAgreeWithTheLibrary() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        for (String p : List.of("/EBPF/Global/name", "/ebpf//global/x", "/ebpf/global", "a/.", "/a/..", "a/b/../..",
                "BPF:\\x", "bpf:/a/./b", "x/./y/../z")) {
            assertEquals(w.canonicalizePinPath(p), io.bpf4j.windows.internal.uapi.PinPaths.canonicalize(p), p);
        }
        for (String bad : List.of("C:\\x", "..", "/..", "BPF:\\a\\..\\..")) {
            assertThrows(BpfException.class, () -> w.canonicalizePinPath(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> io.bpf4j.windows.internal.uapi.PinPaths.canonicalize(bad), bad);
        }
    }

    /**
     * A perf event array's max_entries is each CPU's ring size in bytes: a power of two and whole
     * pages. The capability probe must ask for a valid size, or the type looks unsupported.
     */
    @ParameterizedTest
    @ValueSource(strings = {StandIn.FULL, StandIn.RELEASE_0_21})
    void perfEventArraysAreProbedWithAValidRingSize(String variant) {
        WinBackend w = StandInBackendTest.open(variant, null, "ffm");
        Support perf = w.capabilities().mapType(MapType.PERF_EVENT_ARRAY);
        assertTrue(perf.supported(), () -> "PERF_EVENT_ARRAY: " + perf.reason());
        w.closeFd(w.mapCreate(MapSpec.of(MapType.PERF_EVENT_ARRAY, 0, 0, 8192)));
        w.closeFd(w.mapCreate(MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, 4096)));   // Linux's sizes, sent as 0
        BpfException notPages = assertThrows(BpfException.class, () -> w.mapCreate(MapSpec.of(MapType.PERF_EVENT_ARRAY, 0, 0, 1024)));
        assertEquals(Errno.ENOMEM, notPages.errno(), "a power of two that is not whole pages");
        BpfException notPow2 = assertThrows(BpfException.class, () -> w.mapCreate(MapSpec.of(MapType.RINGBUF, 0, 0, 3 * 4096)));
        assertEquals(Errno.EINVAL, notPow2.errno());
        assertTrue(w.capabilities().mapType(MapType.RINGBUF).supported());
    }

    /** A descriptor that is not open: EBPF_FAILED, not EBPF_INVALID_FD (ebpf_api.cpp@v1.5.0:2235-2262). */
    @Test
    void closingABadDescriptorIsEbpfFailed() {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, null, "ffm");
        assertEquals(WinErrors.EBPF_FAILED, w.api.ebpfCloseFd(999_999));
        BpfException e = assertThrows(BpfException.class, () -> w.closeFd(999_999));
        assertEquals(Errno.EOTHER, e.errno());
        assertTrue(e.getMessage().contains("EBPF_FAILED"), e.getMessage());
    }
}
