package io.bpf4j.windows.internal;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.Support;
import io.bpf4j.api.TestRunFlags;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import io.bpf4j.internal.rules.LinkRules;
import io.bpf4j.internal.rules.ProgRules;
import io.bpf4j.windows.internal.uapi.Attr;
import io.bpf4j.windows.internal.uapi.Opts;
import io.bpf4j.windows.internal.uapi.WinErrors;
import io.bpf4j.windows.internal.uapi.WinTypes;
import java.nio.ByteBuffer;

/**
 * Program load (JIT path: {@code bpf()} or {@code bpf_prog_load}), test run
 * ({@code bpf_prog_test_run_opts}), bind map, legacy attach (sock_addr and sock_ops hooks with a
 * compartment id) and link detach.
 */
final class ProgOps {
    /**
     * Why loading fails in a NativeOnly build: {@code bpf()} leaves ERROR_NOT_SUPPORTED from
     * 1.0.0-rc1 (libs/api/bpf_syscall.cpp@v1.5.0:363-367); {@code bpf_prog_load}, which
     * {@code bpf()} calls at 0.21.x, returns -ENOTSUP
     * (libbpf_program.cpp@Release-v0.21.0:107-112 and libbpf_program.cpp@v1.5.0:109-114).
     */
    static final String NATIVE_ONLY = "not in this eBPF for Windows build: JIT loading (a NativeOnly build, or HVCI"
            + " is on); load native images with WindowsBpf.loadNative";
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;
    private static final int EINVAL = 22;
    private static final int ENOSPC = 28;
    private static final int LOG_START = 64 * 1024;
    private static final int LOG_MAX = 16 * 1024 * 1024;
    /**
     * The one log buffer used at 0.21.x, where a longer log ends the process. The log is the
     * verifier's list of failures, a line or a few for each failing instruction; 16 MiB is some
     * 250 bytes for each instruction of a 64 Ki-instruction program. A report longer than this
     * would still end the process there: only 1.0.0-rc1 and later are safe for any program.
     */
    static final int LOG_0_21 = LOG_MAX;

    private final WinBackend b;

    ProgOps(WinBackend b) {
        this.b = b;
    }

    private static String unsupportedFeature(ProgramSpec spec) {
        if (spec.attachBtfId() != 0 || spec.attachBtfObjFd() != 0 || spec.attachProgFd() != 0) {
            return "not in eBPF for Windows: BTF attach targets and program extensions";
        }
        if (spec.flags() != 0) return "not in eBPF for Windows: program flags (0x" + Integer.toHexString(spec.flags()) + ")";
        if (spec.ifindex() != 0) return "not in eBPF for Windows: program offload (ifindex)";
        if (spec.fdArray() != null && spec.fdArray().length > 0) return "not in eBPF for Windows: fd_array";
        if (spec.tokenFd() != 0) return "not in eBPF for Windows: BPF tokens";
        if (spec.btf() != null) {
            return "not in eBPF for Windows: program BTF (prog_btf_fd, func_info, line_info); eBPF for Windows has no BTF";
        }
        if (spec.expectedAttachType() != null && WinTypes.attachType(spec.expectedAttachType()) < 0) {
            return "not in eBPF for Windows: attach type " + spec.expectedAttachType();
        }
        return null;
    }

    /**
     * Loads, with the verifier log strategy the release allows. From 1.0.0-rc1 a log that does not
     * fit is truncated and the load fails with ENOSPC (its true size in {@code log_true_size} when
     * {@code bpf()} was used), so the log starts small and grows. At 0.21.x a log that does not fit
     * ends the process ({@code Release.logSpaceIsChecked}), so the buffer is never grown: a log
     * is asked for only when wanted, and then in one buffer of {@code LOG_0_21} bytes. efW's log
     * is the verifier's report of a failed load only; a load that succeeds leaves it empty
     * (libs/service/verifier_service.cpp@Release-v0.21.0:26-41).
     */
    LoadResult load(ProgramSpec spec) {
        ProgRules.load(spec);
        b.need(Operation.PROG_LOAD);
        Support type = b.capabilities().programType(spec.type());
        if (!type.supported()) throw Fail.unsupported(Operation.PROG_LOAD, type.reason());
        Support loading = b.capabilities().operation(Operation.PROG_LOAD);
        if (!loading.supported()) throw Fail.unsupported(Operation.PROG_LOAD, loading.reason());
        String feature = unsupportedFeature(spec);
        if (feature != null) throw Fail.unsupported(Operation.PROG_LOAD, feature);
        long[] insns = Insns.toWindows(spec.instructions());
        int winType = WinTypes.programType(spec.type());
        String object = spec.name().isEmpty() ? "program" : "program \"" + spec.name() + "\"";
        boolean grows = b.release.logSpaceIsChecked();
        // Windows has one log level; the expected attach type is chosen at attach time.
        int level = spec.logLevel() == 0 ? 0 : 1;
        int size = level == 0 ? 0 : firstLogSize(spec.logSize(), grows);
        while (true) {
            Scratch s = b.s();
            long logBuf = level == 0 ? 0L : s.reserve(Scratch.AUX, size);
            int r = loadRaw(winType, insns, spec.name(), level, logBuf, size);
            if (r >= 0) {
                String log = level == 0 ? "" : s.getString(Scratch.AUX, size);
                s.trim();
                return new LoadResult(r, log);
            }
            int e = -r;
            if (e == EAGAIN) continue;
            if (e == WinErrors.ENOTSUP) {
                s.trim();
                throw new BpfUnsupportedException(Fail.BACKEND, Operation.PROG_LOAD, Errno.fromWindows(e), e, NATIVE_ONLY);
            }
            if (level != 0 && e == ENOSPC && grows && size < LOG_MAX) {
                size = nextLogSize(s, size);
                continue;
            }
            if (level == 0 && (e == EACCES || e == EINVAL)) {
                level = 1;          // load again with a log, to say why
                size = grows ? LOG_START : LOG_0_21;
                continue;
            }
            String log = level == 0 ? "" : s.getString(Scratch.AUX, size);
            s.trim();
            if ((e == EACCES || e == EINVAL) && !log.isBlank()) {
                throw new VerifierException(Fail.BACKEND, Operation.PROG_LOAD, object, Errno.fromWindows(e), e, log);
            }
            throw Fail.errno(Operation.PROG_LOAD, object, r);
        }
    }

    /** A huge requested size is room the log may grow into, not memory to take up front. */
    private static int firstLogSize(int requested, boolean grows) {
        if (!grows) return LOG_0_21;
        return Math.max(Math.min(ProgRules.firstLogSize(requested), LOG_MAX), 4096);
    }

    /** After ENOSPC: the size {@code bpf()} reported it needed, else four times as much. */
    private int nextLogSize(Scratch s, int size) {
        int needed = b.mode == Mode.SYSCALL ? s.attr.getInt(Attr.LOG_TRUE_SIZE) : 0;
        int next = needed > size ? needed : size * 4;
        return Math.min(LOG_MAX, next);
    }

    /** One load attempt with Windows numbers; also used by the capability probe. */
    int loadRaw(int winType, long[] insns, String name, int level, long logBuf, int logSize) {
        Scratch s = b.s();
        long code = s.putLongs(Scratch.DATA, insns);
        long license = s.putString(Scratch.STRING2, "");
        if (b.mode == Mode.SYSCALL) {
            Attr.progLoad(s.attr(), winType, code, insns.length, license, level, logBuf, logSize, name);
            return b.sys(Operation.PROG_LOAD, Attr.PROG_LOAD);
        }
        Opts.progLoad(s.opts, level, logBuf, logSize);
        long n = s.putString(Scratch.STRING, name);
        return b.api.bpfProgLoad(winType, n, license, code, insns.length, s.optsAddr);
    }

    TestRunResult testRun(int fd, TestRunSpec spec) {
        ProgRules.testRun(fd, spec);
        b.need(Operation.PROG_TEST_RUN);
        int unsupportedFlags = spec.flags() & ~TestRunFlags.RUN_ON_CPU;
        if (unsupportedFlags != 0) {
            throw Fail.unsupported(Operation.PROG_TEST_RUN, "not in eBPF for Windows: test run flags 0x"
                    + Integer.toHexString(unsupportedFlags) + " (live XDP frames, checksum complete)");
        }
        Scratch s = b.s();
        try {
            ByteBuffer o = s.opts;
            Opts.begin(o, Opts.TEST_RUN_SIZE);
            byte[] data = spec.dataIn();
            byte[] ctx = spec.ctxIn();
            if (data != null) {
                o.putLong(Opts.TR_DATA_IN, s.put(Scratch.DATA, data, data.length));
                o.putInt(Opts.TR_DATA_SIZE_IN, data.length);
            }
            // Room beyond what any test run returns is never written, so it is not allocated.
            int dRoom = ProgRules.testRunRoom(spec.dataSizeOut());
            int cRoom = ProgRules.testRunRoom(spec.ctxSizeOut());
            if (dRoom > 0) {
                o.putLong(Opts.TR_DATA_OUT, s.reserve(Scratch.DATA2, dRoom));
                o.putInt(Opts.TR_DATA_SIZE_OUT, dRoom);
            }
            if (ctx != null) {
                o.putLong(Opts.TR_CTX_IN, s.put(Scratch.AUX, ctx, ctx.length));
                o.putInt(Opts.TR_CTX_SIZE_IN, ctx.length);
            }
            if (cRoom > 0) {
                o.putLong(Opts.TR_CTX_OUT, s.reserve(Scratch.AUX2, cRoom));
                o.putInt(Opts.TR_CTX_SIZE_OUT, cRoom);
            }
            // Windows refuses repeat 0, which the portable API (and Linux) read as once.
            o.putInt(Opts.TR_REPEAT, Math.max(1, spec.repeat()));
            o.putInt(Opts.TR_FLAGS, spec.flags());
            o.putInt(Opts.TR_CPU, spec.cpu());
            o.putInt(Opts.TR_BATCH_SIZE, spec.batchSize());
            WinBackend.check(Operation.PROG_TEST_RUN, "program fd " + fd, b.api.bpfProgTestRunOpts(fd, s.optsAddr));
            int dataOutSize = o.getInt(Opts.TR_DATA_SIZE_OUT);
            int ctxOutSize = o.getInt(Opts.TR_CTX_SIZE_OUT);
            byte[] dataOut = new byte[Math.max(0, Math.min(dataOutSize, dRoom))];
            if (dataOut.length > 0) s.get(Scratch.DATA2, dataOut, dataOut.length);
            byte[] ctxOut = new byte[Math.max(0, Math.min(ctxOutSize, cRoom))];
            if (ctxOut.length > 0) s.get(Scratch.AUX2, ctxOut, ctxOut.length);
            return new TestRunResult(o.getInt(Opts.TR_RETVAL), o.getInt(Opts.TR_DURATION), dataOut, dataOutSize, ctxOut);
        } finally {
            s.trim();
        }
    }

    void bindMap(int progFd, int mapFd, int flags) {
        ProgRules.bindMap(progFd, mapFd, flags);
        b.need(Operation.PROG_BIND_MAP);
        Scratch s = b.s();
        int r;
        if (b.mode == Mode.SYSCALL) {
            Attr.fdPair(s.attr(), progFd, mapFd);
            r = b.sys(Operation.PROG_BIND_MAP, Attr.PROG_BIND_MAP);
        } else {
            Opts.begin(s.opts, Opts.PROG_BIND_SIZE);
            r = b.api.bpfProgBindMap(progFd, mapFd, s.optsAddr);
        }
        WinBackend.check(Operation.PROG_BIND_MAP, "program fd " + progFd, r);
    }

    /**
     * {@code BPF_PROG_ATTACH} / {@code BPF_PROG_DETACH}: {@code bpf_prog_attach} takes the
     * sock_addr and sock_ops hooks only, flags 0, and the target as a compartment id (0 for all),
     * else ENOTSUP (libs/api/libbpf_program.cpp@Release-v0.21.0:235-253 and
     * libbpf_program.cpp@v1.3.0:237-259, which adds 1.3.0's bind, listen and authorization hooks).
     * The attachment is a link with no descriptor that lasts until detached. Detach ignores the
     * program: {@code bpf_prog_detach} passes no program handle, so whatever is attached at the
     * hook and compartment is detached (libbpf_program.cpp@v1.5.0:282-307).
     */
    void attach(Operation op, AttachSpec spec) {
        LinkRules.attach(spec);
        b.need(op);
        Support hook = b.capabilities().attachType(spec.attachType());
        if (!hook.supported()) throw Fail.unsupported(op, hook.reason());
        int win = WinTypes.attachType(spec.attachType());
        int progType = WinTypes.programTypeOfAttach(win);
        if (progType != 3 && progType != 4) {
            throw Fail.unsupported(op, "not in eBPF for Windows: " + op + " takes sock_addr and sock_ops hooks only;"
                    + " attach " + spec.attachType() + " with a link (BpfProgram.attachXdp, link) or WindowsBpf.xdpAttach");
        }
        if (spec.flags() != 0 || spec.replaceFd() != 0 || spec.relative() != 0 || spec.expectedRevision() != 0) {
            throw Fail.unsupported(op, "not in eBPF for Windows: attach flags, replacement and mprog anchors");
        }
        Attr.attach(b.s().attr(), spec.target(), spec.progFd(), win);
        WinBackend.check(op, "program fd " + spec.progFd(), b.sys(op, op == Operation.PROG_ATTACH ? Attr.PROG_ATTACH : Attr.PROG_DETACH));
    }

    void linkDetach(int linkFd) {
        LinkRules.detach(linkFd);
        b.need(Operation.LINK_DETACH);
        int r;
        if (b.mode == Mode.SYSCALL) {
            Attr.fdPair(b.s().attr(), linkFd, 0);
            r = b.sys(Operation.LINK_DETACH, Attr.LINK_DETACH);
        } else {
            r = b.api.bpfLinkDetach(linkFd);
        }
        WinBackend.check(Operation.LINK_DETACH, "link fd " + linkFd, r);
    }

    static BpfException invalid(Operation op, String detail) {
        return new BpfException(Fail.BACKEND, op, null, Errno.EINVAL, EINVAL, detail);
    }
}
