package io.bpf4j.internal.rules;

import io.bpf4j.api.ProgramBtf;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.TestRunSpec;
import java.util.Objects;

/**
 * The input rules of the program commands, and the bounds on the buffers a backend allocates for
 * what the kernel writes back: a caller's size is room the kernel may use, not memory to claim up
 * front, so a backend allocates at most what the kernel can return.
 */
public final class ProgRules {
    /** Every {@code prog_flags} bit Linux 6.18 defines ({@code BPF_F_STRICT_ALIGNMENT} .. {@code BPF_F_TOKEN_FD}). */
    public static final int KNOWN_PROG_FLAGS = 0xff | (1 << 16);
    /** Every {@code BPF_PROG_TEST_RUN} flag Linux 6.18 defines ({@code BPF_F_TEST_RUN_ON_CPU} .. {@code BPF_F_TEST_SKB_CHECKSUM_COMPLETE}). */
    public static final int KNOWN_TEST_RUN_FLAGS = 7;
    /**
     * The most a test run writes to {@code data_out} or {@code ctx_out}, 16 MiB. Linux 6.18
     * returns at most one packet: a multi-buffer XDP frame is its first page plus
     * {@code MAX_SKB_FRAGS} (at most 45) fragment pages, at most 11.5 MiB with the largest pages
     * any architecture has (256 KiB); an skb cannot outgrow 64 KiB; a context is a struct of a
     * few hundred bytes. Room beyond this bound is never used, so it is not allocated.
     */
    public static final int TEST_RUN_OUT_MAX = 16 << 20;
    /** The kernel's limit on {@code log_size}: {@code UINT_MAX >> 2} ({@code kernel/bpf/log.c}). */
    public static final int LOG_MAX = (int) (0xffffffffL >>> 2);
    /**
     * The largest verifier log buffer allocated before the kernel asks for more, 16 MiB: a larger
     * requested size is the room the caller allows, and the log grows to it (up to
     * {@link #LOG_MAX}) only when the kernel reports, with ENOSPC and {@code log_true_size},
     * that it needs it.
     */
    public static final int LOG_FIRST_MAX = 16 << 20;

    private ProgRules() {
    }

    /**
     * {@code BPF_PROG_LOAD}: no undefined flag bits, no negative descriptor in {@code fd_array}.
     * Type, instructions, license, name and log level were checked when the spec was made.
     *
     * @param spec the program
     * @throws NullPointerException when {@code spec} is null
     * @throws IllegalArgumentException naming the bad attribute
     */
    public static void load(ProgramSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if ((spec.flags() & ~KNOWN_PROG_FLAGS) != 0) {
            throw new IllegalArgumentException("flags: unknown bits 0x" + Integer.toHexString(spec.flags() & ~KNOWN_PROG_FLAGS));
        }
        int[] fds = spec.fdArray();
        if (fds != null) {
            for (int i = 0; i < fds.length; i++) ObjRules.fd(fds[i], "fdArray[" + i + "]");
        }
        if (spec.btf() != null) btf(spec.btf());
    }

    /**
     * The program BTF attributes: a BTF descriptor when there are records, record sizes the
     * kernel accepts ({@code check_btf_func_early()} and {@code check_btf_line()}: at least the
     * uapi struct, at most 252, a multiple of 4), counts that are not negative and whose records
     * fit their arrays, and no records without an array.
     *
     * @param b the program's BTF
     * @throws IllegalArgumentException naming the bad attribute
     */
    public static void btf(ProgramBtf b) {
        records("btf.funcInfo", b.funcInfoRecSize(), b.funcInfo(), b.funcInfoCount(), ProgramBtf.FUNC_INFO_MIN);
        records("btf.lineInfo", b.lineInfoRecSize(), b.lineInfo(), b.lineInfoCount(), ProgramBtf.LINE_INFO_MIN);
        if (b.funcInfoCount() > 0 || b.lineInfoCount() > 0 || b.btfFd() != 0) ObjRules.fd(b.btfFd(), "btf.btfFd");
    }

    private static void records(String what, int recSize, byte[] data, int count, int min) {
        if (count < 0) throw new IllegalArgumentException(what + "Count: negative (" + count + ")");
        if (count == 0) return;
        if (data == null) throw new IllegalArgumentException(what + ": null with " + what + "Count " + count);
        if (recSize < min || recSize > ProgramBtf.REC_SIZE_MAX || recSize % 4 != 0) {
            throw new IllegalArgumentException(what + "RecSize: " + recSize + " is not a multiple of 4 in " + min + ".."
                    + ProgramBtf.REC_SIZE_MAX);
        }
        if ((long) count * recSize > data.length) {
            throw new IllegalArgumentException(what + ": " + count + " records of " + recSize + " bytes do not fit in "
                    + data.length + " bytes");
        }
    }

    /**
     * The first verifier log buffer for a requested size: the size, but at most
     * {@link #LOG_FIRST_MAX}.
     *
     * @param requested the caller's {@code logSize}, or the backend's default
     * @return bytes to allocate now
     */
    public static int firstLogSize(int requested) {
        return Math.min(requested, LOG_FIRST_MAX);
    }

    /**
     * {@code BPF_PROG_TEST_RUN}: the program descriptor and no undefined flag bits. Sizes were
     * checked when the spec was made.
     *
     * @param progFd the program
     * @param spec the input
     * @throws NullPointerException when {@code spec} is null
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void testRun(int progFd, TestRunSpec spec) {
        ObjRules.fd(progFd, "progFd");
        Objects.requireNonNull(spec, "spec");
        if ((spec.flags() & ~KNOWN_TEST_RUN_FLAGS) != 0) {
            throw new IllegalArgumentException("flags: unknown bits 0x" + Integer.toHexString(spec.flags() & ~KNOWN_TEST_RUN_FLAGS));
        }
    }

    /**
     * The room to allocate and hand the kernel for {@code dataSizeOut} or {@code ctxSizeOut}:
     * the requested size, but at most {@link #TEST_RUN_OUT_MAX}, which no test run fills, so the
     * outcome is the same as with the full size.
     *
     * @param requested the caller's size, not negative
     * @return bytes to allocate
     */
    public static int testRunRoom(int requested) {
        return Math.min(requested, TEST_RUN_OUT_MAX);
    }

    /**
     * {@code BPF_PROG_BIND_MAP}.
     *
     * @param progFd the program
     * @param mapFd the map
     * @param flags 0
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void bindMap(int progFd, int mapFd, int flags) {
        ObjRules.fd(progFd, "progFd");
        ObjRules.fd(mapFd, "mapFd");
        if (flags != 0) throw new IllegalArgumentException("flags: must be 0, was " + flags);
    }

    /**
     * {@code BPF_PROG_STREAM_READ_BY_FD}.
     *
     * @param progFd the program
     * @param streamId 1 (stdout) or 2 (stderr)
     * @param buf receives bytes
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void streamRead(int progFd, int streamId, byte[] buf) {
        ObjRules.fd(progFd, "progFd");
        if (streamId != 1 && streamId != 2) throw new IllegalArgumentException("streamId: 1 (stdout) or 2 (stderr), was " + streamId);
        if (buf == null) throw new IllegalArgumentException("buf: null");
    }
}
