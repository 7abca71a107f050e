package io.bpf4j.it.suite;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.testsupport.ExpectedKernel;
import io.bpf4j.testsupport.Host;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the shared suites need to know about a backend's platform, written down from its
 * documentation rather than asked of the backend: the trivial program type it loads, the hook
 * its legacy attach uses, the optional fields it fills, and the operations it is expected to
 * lack.
 *
 * @param trivialType a program type the platform always has, loaded with a two-instruction program
 * @param trivialReturn what the trivial program returns (harmless for the type)
 * @param hookType the attach type the suites attach to with {@code BPF_PROG_ATTACH} and links
 * @param hookProgram a program for that hook that lets traffic through
 * @param reportsTag whether program info carries the 8-byte tag
 * @param lpmTrieFlags the flags an LPM trie needs on the platform
 * @param bucketBatches whether hash batches return whole buckets (Linux's hashtab.c), so that a
 *     batch smaller than a bucket fails with ENOSPC
 * @param absentOperations the operations the platform lacks, or null when nothing says which
 *     (a kernel other than the one the expected table was written for)
 * @param absentSource where {@code absentOperations} comes from, for messages
 * @param detachOfNothingFails whether {@code BPF_PROG_DETACH} at a hook with nothing attached
 *     fails (Linux: ENOENT); eBPF for Windows detaches whatever matches and succeeds on nothing
 */
record Profile(ProgramType trivialType, int trivialReturn, AttachType hookType, ProgramSpec hookProgram,
        boolean reportsTag, int lpmTrieFlags, boolean bucketBatches,
        Set<Operation> absentOperations, String absentSource, boolean detachOfNothingFails) {

    /** TCX_NEXT: hand the packet to the next program, so attaching to loopback changes nothing. */
    private static final int TCX_NEXT = -1;

    /** The trivial program. */
    ProgramSpec trivialProgram() {
        return ProgramSpec.of(trivialType, Programs.returning(trivialReturn), "GPL");
    }

    /** Linux: the CI kernel's expected table decides which operations are absent, on that kernel. */
    static Profile linux() {
        boolean described = ExpectedKernel.describesRunningKernel();
        return new Profile(ProgramType.SOCKET_FILTER, 0, AttachType.TCX_INGRESS, tcx(), true, MapFlags.NO_PREALLOC, true,
                described ? ExpectedKernel.lacking(Operation.class) : null,
                "the expected capabilities of the CI kernel (" + ExpectedKernel.KERNEL + ")"
                        + (described ? "" : ", which is not this kernel (" + Host.kernelRelease() + ")"), true);
    }

    /** The simulator: its README lists what it does not simulate. */
    static Profile sim() {
        return new Profile(ProgramType.SOCKET_FILTER, 0, AttachType.TCX_INGRESS, tcx(), true, MapFlags.NO_PREALLOC, true,
                EnumSet.of(Operation.ITER_CREATE, Operation.TASK_FD_QUERY, Operation.TOKEN_CREATE,
                        Operation.PROG_STREAM_READ_BY_FD, Operation.MAP_MMAP, Operation.PROG_JITED),
                "backend-sim/README.md (iterators, task fd query, tokens, program streams, mapped maps and JIT images are not"
                        + " simulated)",
                true);
    }

    /**
     * eBPF for Windows (docs/windows.md): no SOCKET_FILTER programs (XDP is the trivial type),
     * legacy attach on sock_addr hooks only, no map flags, no program tag, the Linux-only
     * operations, and a legacy detach that succeeds when nothing matches
     * (ebpf_core.c@v1.5.0:1553-1577 of microsoft/ebpf-for-windows).
     */
    static Profile windows() {
        ProgramSpec connect = ProgramSpec.of(ProgramType.CGROUP_SOCK_ADDR, Programs.returning(1), "GPL")
                .withExpectedAttachType(AttachType.CGROUP_INET4_CONNECT);
        return new Profile(ProgramType.XDP, 2, AttachType.CGROUP_INET4_CONNECT, connect, false, 0, false,
                windowsAbsent(), "docs/windows.md (the Linux-only operations and ring buffers before 1.0.0-rc1)",
                false);
    }

    /**
     * Perf buffers are read through efW's callbacks at every supported release; ring buffers from
     * 1.0.0-rc1, which exports ebpf_ring_buffer_map_map_buffer. The release comes from the Windows CI
     * job's matrix (BPF4J_EXPECT_EFW); the stand-in on Linux is 1.5.0.
     */
    private static Set<Operation> windowsAbsent() {
        EnumSet<Operation> absent = EnumSet.of(Operation.MAP_FREEZE, Operation.BTF_LOAD, Operation.BTF_GET_FD_BY_ID,
                Operation.BTF_GET_NEXT_ID, Operation.LINK_UPDATE, Operation.ENABLE_STATS,
                Operation.ITER_CREATE, Operation.TOKEN_CREATE, Operation.RAW_TRACEPOINT_OPEN,
                Operation.TASK_FD_QUERY, Operation.PROG_STREAM_READ_BY_FD, Operation.MAP_MMAP, Operation.PROG_XLATED,
                Operation.PROG_JITED);
        String release = System.getenv("BPF4J_EXPECT_EFW");
        if (release != null && release.startsWith("0.")) {
            absent.add(Operation.RINGBUF_MAP);
        }
        return absent;
    }

    private static ProgramSpec tcx() {
        return ProgramSpec.of(ProgramType.SCHED_CLS, Programs.returning(TCX_NEXT), "GPL");
    }
}
