package io.bpf4j.linux.internal;

import io.bpf4j.api.Errno;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramBtf;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import io.bpf4j.internal.rules.ProgRules;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.ProgAttrs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The program commands: load (with the verifier log protocol), test run, bind map and stream
 * read.
 */
public final class ProgCommands {
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;
    private static final int E2BIG = 7;
    private static final int EINVAL = 22;
    private static final int ENOSPC = 28;
    private static final int EAGAIN_RETRIES = 5;
    /** The first log buffer when the caller gave no size. */
    static final int LOG_START = 64 * 1024;
    /** The kernel's limit on log_size ({@code UINT_MAX >> 2}, kernel/bpf/log.c). */
    static final int LOG_MAX = ProgRules.LOG_MAX;

    private final Kernel k;

    /**
     * Creates the family.
     *
     * @param k the shared context
     */
    public ProgCommands(Kernel k) {
        this.k = k;
    }

    /**
     * {@code BPF_PROG_LOAD}: without a log first (unless one was asked for), then with a log
     * that grows on ENOSPC; retries EAGAIN.
     *
     * @param spec the program
     * @return descriptor and log
     */
    public LoadResult load(ProgramSpec spec) {
        ProgRules.load(spec);
        k.gate.require(Operation.PROG_LOAD);
        k.gate.requireProgramType(spec.type());
        // For BTF-typed programs the hook decides loadability (iterators load where fentry does not).
        if (spec.expectedAttachType() != null && (spec.type() == io.bpf4j.api.ProgramType.TRACING
                || spec.type() == io.bpf4j.api.ProgramType.LSM)) {
            k.gate.requireAttachType(Operation.PROG_LOAD, spec.expectedAttachType());
        }
        Result r = tryLoad(spec);
        if (r.rc >= 0) return new LoadResult((int) r.rc, r.log);
        throw failure(spec, r);
    }

    /** The outcome of a load: fd or -errno, and the log if one was taken. */
    static final class Result {
        final long rc;
        final String log;

        Result(long rc, String log) {
            this.rc = rc;
            this.log = log;
        }
    }

    /** Loads without the gate (the prober uses this); never throws for kernel errors. */
    Result tryLoad(ProgramSpec spec) {
        long[] insns = spec.instructions();
        byte[] license = spec.license().getBytes(StandardCharsets.UTF_8);
        Scratch s = k.scratch();
        try {
            long ia = s.slot(Scratch.DATA, insns.length * 8);
            ByteBuffer ib = s.buf(Scratch.DATA);
            for (int i = 0; i < insns.length; i++) ib.putLong(i * 8, insns[i]);
            long la = s.reserve(Scratch.DATA2, license.length + 1);
            s.buf(Scratch.DATA2).put(0, license);
            long fa = 0;
            long fia = 0;
            long lia = 0;
            int[] fds = spec.fdArray();
            if (fds != null && fds.length > 0) {
                fa = s.slot(Scratch.DATA3, fds.length * 4);
                ByteBuffer fb = s.buf(Scratch.DATA3);
                for (int i = 0; i < fds.length; i++) fb.putInt(i * 4, fds[i]);
            }
            ProgramBtf btf = spec.btf();
            if (btf != null) {
                // Exactly the bytes the kernel reads (count * rec_size), in slots no other part uses.
                int fn = (int) btf.funcInfoBytes();
                int ln = (int) btf.lineInfoBytes();
                fia = fn == 0 ? 0 : s.put(Scratch.AUX, btf.funcInfo(), 0, fn);
                lia = ln == 0 ? 0 : s.put(Scratch.AUX2, btf.lineInfo(), 0, ln);
            }
            if (spec.logLevel() == 0) {
                long rc = attempt(s, spec, new long[] {ia, la, fa, fia, lia}, 0, null);
                if (rc >= 0) return new Result(rc, "");
                // The verifier refuses records with nonzero tails with E2BIG and a log line.
                boolean btfTail = rc == -E2BIG && spec.btf() != null;
                if (rc != -EACCES && rc != -EINVAL && !btfTail) return new Result(rc, "");
                // Load again with a log so the failure can say why.
                return withLog(s, spec, new long[] {ia, la, fa, fia, lia}, 1, LOG_START);
            }
            return withLog(s, spec, new long[] {ia, la, fa, fia, lia}, spec.logLevel(), spec.logSize() > 0 ? spec.logSize() : LOG_START);
        } finally {
            s.trim();
        }
    }

    /** {@code addrs}: instructions, license, fd array, func_info, line_info. */
    private Result withLog(Scratch s, ProgramSpec spec, long[] addrs, int level, int size) {
        // A huge requested size is room the log may grow into, not memory to take up front.
        int logSize = Math.max(ProgRules.firstLogSize(size), 128);
        while (true) {
            ByteBuffer log = BpfAttr.allocateDirect(logSize);
            long rc = attempt(s, spec, addrs, level, log);
            int trueSize = s.attrOut().getInt(ProgAttrs.LOG_TRUE_SIZE);
            if (rc == -ENOSPC && logSize < LOG_MAX) {
                // The log did not fit (the kernel fails the load then, Linux 6.4+): grow to the
                // size it reported, or by 4x on kernels that do not report one.
                long next = trueSize > logSize ? trueSize : (long) logSize * 4;
                logSize = (int) Math.min(next, LOG_MAX);
                continue;
            }
            return new Result(rc, BpfAttr.getString(log, 0, logSize));
        }
    }

    private long attempt(Scratch s, ProgramSpec spec, long[] addrs, int level, ByteBuffer log) {
        long logAddr = log == null ? 0 : k.sys.address(log);
        int logSize = log == null ? 0 : log.capacity();
        long rc = 0;
        for (int i = 0; i <= EAGAIN_RETRIES; i++) {
            ProgAttrs.load(s.attr(), spec, addrs[0], addrs[1], level, logAddr, logSize, addrs[2]);
            if (spec.btf() != null) ProgAttrs.loadBtf(s.attrOut(), spec.btf(), addrs[3], addrs[4]);
            rc = k.bpfFd(Operation.PROG_LOAD, s);
            if (rc != -EAGAIN) break;
        }
        return rc;
    }

    private static String object(ProgramSpec spec) {
        return spec.name().isEmpty() ? spec.type() + " program" : "program \"" + spec.name() + "\"";
    }

    private static RuntimeException failure(ProgramSpec spec, Result r) {
        int errno = (int) -r.rc;
        if ((r.rc == -EACCES || r.rc == -EINVAL || r.rc == -E2BIG && spec.btf() != null) && !r.log.isBlank()) {
            return new VerifierException(Kernel.BACKEND, Operation.PROG_LOAD, object(spec), Errno.fromLinux(errno), errno, r.log);
        }
        String detail = r.log.isBlank() ? null : "verifier: " + lastLine(r.log);
        return Kernel.error(Operation.PROG_LOAD, object(spec), r.rc, detail);
    }

    private static String lastLine(String log) {
        String[] lines = log.strip().split("\n");
        return lines[lines.length - 1];
    }

    /**
     * {@code BPF_PROG_TEST_RUN}.
     *
     * @param fd the program
     * @param spec input and options
     * @return the outcome
     */
    public TestRunResult testRun(int fd, TestRunSpec spec) {
        ProgRules.testRun(fd, spec);
        Operation op = Operation.PROG_TEST_RUN;
        k.gate.require(op);
        Scratch s = k.scratch();
        try {
            byte[] din = spec.dataIn();
            byte[] cin = spec.ctxIn();
            long dIn = din == null ? 0 : s.put(Scratch.DATA, din, 0, din.length);
            // Room beyond what any test run returns is never written, so it is not allocated.
            int dRoom = ProgRules.testRunRoom(spec.dataSizeOut());
            int cRoom = ProgRules.testRunRoom(spec.ctxSizeOut());
            long dOut = dRoom == 0 ? 0 : s.reserve(Scratch.DATA2, dRoom);
            long cIn = cin == null ? 0 : s.put(Scratch.DATA3, cin, 0, cin.length);
            long cOut = cRoom == 0 ? 0 : s.reserve(Scratch.DATA4, cRoom);
            ProgAttrs.testRun(s.attr(), fd, dIn, din == null ? 0 : din.length, dOut, dRoom, cIn,
                    cin == null ? 0 : cin.length, cOut, cRoom, spec.repeat(), spec.flags(), spec.cpu(),
                    spec.batchSize());
            long rc = k.bpf(op, s);
            ByteBuffer a = s.attrOut();
            int dataOutSize = a.getInt(ProgAttrs.TEST_DATA_SIZE_OUT);
            int ctxOutSize = a.getInt(ProgAttrs.TEST_CTX_SIZE_OUT);
            if (rc == -ENOSPC) {
                String what = dOut != 0 && dataOutSize > spec.dataSizeOut()
                        ? "dataSizeOut " + spec.dataSizeOut() + " is too small: the program produced " + dataOutSize + " bytes"
                        : "ctxSizeOut " + spec.ctxSizeOut() + " is too small: the context is " + ctxOutSize + " bytes";
                throw Kernel.error(op, "program fd " + fd, rc, what);
            }
            if (rc < 0) throw Kernel.error(op, "program fd " + fd, rc, null);
            byte[] dataOut = new byte[dOut == 0 ? 0 : Math.min(dataOutSize, dRoom)];
            s.get(Scratch.DATA2, dataOut, 0, dataOut.length);
            byte[] ctxOut;
            if (cOut == 0 && cin != null && din == null) {
                // A context-only run: a syscall program's context is written back into ctx_in
                // (bpf_prog_test_run_syscall's copy_to_user), which is all it returns.
                ctxOut = new byte[cin.length];
                s.get(Scratch.DATA3, ctxOut, 0, ctxOut.length);
            } else {
                ctxOut = new byte[cOut == 0 ? 0 : Math.min(ctxOutSize, cRoom)];
                s.get(Scratch.DATA4, ctxOut, 0, ctxOut.length);
            }
            return new TestRunResult(a.getInt(ProgAttrs.TEST_RETVAL), a.getInt(ProgAttrs.TEST_DURATION), dataOut,
                    dataOutSize, ctxOut);
        } finally {
            s.trim();
        }
    }

    /**
     * {@code BPF_PROG_BIND_MAP}.
     *
     * @param progFd the program
     * @param mapFd the map
     * @param flags 0
     */
    public void bindMap(int progFd, int mapFd, int flags) {
        ProgRules.bindMap(progFd, mapFd, flags);
        Operation op = Operation.PROG_BIND_MAP;
        k.gate.require(op);
        Scratch s = k.scratch();
        ProgAttrs.bindMap(s.attr(), progFd, mapFd, flags);
        long rc = k.bpf(op, s);
        if (rc < 0) throw Kernel.error(op, "program fd " + progFd, rc, "map fd " + mapFd);
    }

    /**
     * {@code BPF_PROG_STREAM_READ_BY_FD}.
     *
     * @param progFd the program
     * @param streamId 1 or 2
     * @param buf receives bytes
     * @return bytes read
     */
    public int streamRead(int progFd, int streamId, byte[] buf) {
        ProgRules.streamRead(progFd, streamId, buf);
        Operation op = Operation.PROG_STREAM_READ_BY_FD;
        k.gate.require(op);
        Scratch s = k.scratch();
        try {
            long addr = s.slot(Scratch.DATA, buf.length);
            ProgAttrs.streamRead(s.attr(), addr, buf.length, streamId, progFd);
            long rc = k.bpf(op, s);
            if (rc < 0) throw Kernel.error(op, "program fd " + progFd, rc, null);
            int n = (int) Math.min(rc, buf.length);
            s.get(Scratch.DATA, buf, 0, n);
            return n;
        } finally {
            s.trim();
        }
    }
}
