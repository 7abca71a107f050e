package io.bpf4j.windows.internal;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.sys.Export;
import io.bpf4j.windows.internal.uapi.WinTypes;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * What eBPF for Windows supports, as a table refined at run time where the library can be asked:
 * which exports exist, which program and attach types the installed extensions registered,
 * whether a map type can be created, whether JIT loading works.
 *
 * <p>Operations are of four kinds: ones {@code bpf()} implements (its command switch,
 * libs/api/bpf_syscall.cpp@Release-v0.21.0:179-373), ones only an export does (batches, test run
 * through {@code bpf_prog_test_run_opts}, Windows info structs), ones the backend builds from
 * exports ({@code LINK_CREATE} on {@code ebpf_program_attach_by_fds}, {@code PROG_QUERY} by walking
 * the links), and Linux-only ones, which are always unsupported with a reason starting
 * {@code "not in eBPF for Windows: "}. Every attach type reported supported takes a link.
 */
final class WinCapabilities {
    /** The Linux-only operations and why. */
    static final Map<Operation, String> LINUX_ONLY = new EnumMap<>(Operation.class);

    static {
        linuxOnly(Operation.RAW_TRACEPOINT_OPEN, "there are no raw tracepoints");
        linuxOnly(Operation.BTF_LOAD, "there is no BTF");
        linuxOnly(Operation.BTF_GET_FD_BY_ID, "there is no BTF");
        linuxOnly(Operation.BTF_GET_NEXT_ID, "there is no BTF");
        linuxOnly(Operation.TASK_FD_QUERY, "there is no BPF_TASK_FD_QUERY");
        linuxOnly(Operation.MAP_FREEZE, "maps cannot be frozen");
        linuxOnly(Operation.LINK_UPDATE, "links cannot be updated");
        linuxOnly(Operation.ENABLE_STATS, "there are no run-time statistics");
        linuxOnly(Operation.ITER_CREATE, "there are no iterators");
        linuxOnly(Operation.TOKEN_CREATE, "there are no BPF tokens");
        linuxOnly(Operation.PROG_STREAM_READ_BY_FD, "programs have no streams");
        linuxOnly(Operation.MAP_MMAP, "maps cannot be mapped into the process (there is no BPF_F_MMAPABLE; only ring"
                + " buffers are mapped)");
        // sys_bpf_prog_info_t keeps the fields for layout only, each marked "Not supported"
        // (include/linux/bpf.h@v1.5.0:233-236 of microsoft/ebpf-for-windows).
        linuxOnly(Operation.PROG_XLATED, "a program's info does not return its instructions (xlated_prog_insns is"
                + " \"Not supported\")");
        linuxOnly(Operation.PROG_JITED, "a program's info does not return its machine code (jited_prog_insns is"
                + " \"Not supported\")");
    }

    private static void linuxOnly(Operation op, String why) {
        LINUX_ONLY.put(op, "not in eBPF for Windows: " + why);
    }

    /**
     * Operations eBPF for Windows has and this backend does not bind yet; none at present (perf
     * buffers are read through efW's callbacks, see {@code PerfOps}; interface names go through the
     * IP helper API, see {@code Interfaces}).
     */
    static final Map<Operation, String> NOT_YET = new EnumMap<>(Operation.class);

    /**
     * Why releases before 1.0.0-rc1 have no ring buffer reader. They deliver ring buffer records
     * only to a {@code ring_buffer__new} callback on efW's thread (ebpfapi/Source.def@Release-v0.21.0:158,
     * libs/api/libbpf_map.cpp@Release-v0.21.0:365-404). A copy into a bounded queue of the reader
     * would have to drop records when the queue is full, and {@code RingBufferReader} promises that
     * nothing is lost between the ring and the handler (a ring buffer loses only at reserve, which
     * the program sees); a callback that refuses a record instead (non-zero) leaves it in efW's ring,
     * but the query efW posts next completes at once while data remains
     * (libs/api/ebpf_api.cpp@Release-v0.21.0:4518-4520, libs/execution_context/ebpf_maps.c@Release-v0.21.0:2173-2182),
     * so efW's thread would spin until the reader catches up. Neither keeps the contract.
     */
    static final String RING_BEFORE_1_0 = "not in this eBPF for Windows: it does not export ebpf_ring_buffer_map_map_buffer"
            + " (eBPF for Windows 1.0.0-rc1 or later maps ring buffers); this release delivers ring records only to"
            + " ring_buffer__new callbacks on its own thread, which a reader could only follow by dropping records when"
            + " it falls behind or by making that thread spin, so bpf4j offers no ring buffer reader on it (perf"
            + " buffers work)";

    /** Why an operation is unsupported when its export is missing. */
    static String missing(Operation op, Export e) {
        return op == Operation.RINGBUF_MAP ? RING_BEFORE_1_0 : e.missingReason();
    }

    private WinCapabilities() {
    }

    /** The export an operation needs in a mode; null for Linux-only operations. */
    static Export export(Operation op, Mode mode) {
        boolean sys = mode == Mode.SYSCALL;
        return switch (op) {
            case MAP_CREATE -> sys ? Export.BPF : Export.BPF_MAP_CREATE;
            case MAP_LOOKUP_ELEM -> sys ? Export.BPF : Export.BPF_MAP_LOOKUP_ELEM;
            case MAP_UPDATE_ELEM -> sys ? Export.BPF : Export.BPF_MAP_UPDATE_ELEM;
            case MAP_DELETE_ELEM -> sys ? Export.BPF : Export.BPF_MAP_DELETE_ELEM;
            case MAP_GET_NEXT_KEY -> sys ? Export.BPF : Export.BPF_MAP_GET_NEXT_KEY;
            case PROG_LOAD -> sys ? Export.BPF : Export.BPF_PROG_LOAD;
            case OBJ_PIN -> sys ? Export.BPF : Export.BPF_OBJ_PIN;
            case OBJ_GET -> sys ? Export.BPF : Export.BPF_OBJ_GET;
            case PROG_GET_NEXT_ID -> sys ? Export.BPF : Export.BPF_PROG_GET_NEXT_ID;
            case MAP_GET_NEXT_ID -> sys ? Export.BPF : Export.BPF_MAP_GET_NEXT_ID;
            case LINK_GET_NEXT_ID -> sys ? Export.BPF : Export.BPF_LINK_GET_NEXT_ID;
            case PROG_GET_FD_BY_ID -> sys ? Export.BPF : Export.BPF_PROG_GET_FD_BY_ID;
            case MAP_GET_FD_BY_ID -> sys ? Export.BPF : Export.BPF_MAP_GET_FD_BY_ID;
            case LINK_GET_FD_BY_ID -> sys ? Export.BPF : Export.BPF_LINK_GET_FD_BY_ID;
            case LINK_DETACH -> sys ? Export.BPF : Export.BPF_LINK_DETACH;
            case PROG_BIND_MAP -> sys ? Export.BPF : Export.BPF_PROG_BIND_MAP;
            // Only bpf() has these three; no libbpf-style export exists for them.
            case MAP_LOOKUP_AND_DELETE_ELEM, PROG_ATTACH, PROG_DETACH -> Export.BPF;
            case PROG_TEST_RUN -> Export.BPF_PROG_TEST_RUN_OPTS;
            case LINK_CREATE -> Export.EBPF_PROGRAM_ATTACH_BY_FDS;
            // Answered by walking the links: their ids, descriptors and info.
            case PROG_QUERY -> sys ? Export.BPF : Export.BPF_LINK_GET_NEXT_ID;
            case OBJ_GET_INFO_BY_FD -> Export.BPF_OBJ_GET_INFO_BY_FD;
            case MAP_LOOKUP_BATCH -> Export.BPF_MAP_LOOKUP_BATCH;
            case MAP_LOOKUP_AND_DELETE_BATCH -> Export.BPF_MAP_LOOKUP_AND_DELETE_BATCH;
            case MAP_UPDATE_BATCH -> Export.BPF_MAP_UPDATE_BATCH;
            case MAP_DELETE_BATCH -> Export.BPF_MAP_DELETE_BATCH;
            // Mapped rings and their wait handles: 1.0.0-rc1 and later; 0.21 has only ring_buffer__new callbacks.
            case RINGBUF_MAP -> Export.EBPF_RING_BUFFER_MAP_MAP_BUFFER;
            // Perf buffers through efW's callbacks: perf_buffer__new at every supported release (see PerfOps).
            case PERF_BUFFER_OPEN -> Export.PERF_BUFFER_NEW;
            // The waiter needs only Win32 events; it has rings to wait for wherever perf buffers exist.
            case RING_WAIT -> Export.PERF_BUFFER_NEW;
            default -> null;
        };
    }

    /**
     * Builds the report.
     *
     * @param api the binding, asked which exports exist
     * @param mode the call mode
     * @param release the oldest release the library can be
     * @param mapTypeWorks whether a tiny map of a Windows map type can be created
     * @param progLoad null when program loading works, else why not (a NativeOnly build)
     * @param interfaceIndex whether interface names resolve: the IP helper library, not efW, decides
     * @param programTypeRegistered whether a Windows program type has a registered GUID
     * @param attachTypeRegistered whether a Windows attach type has a registered GUID
     */
    static Capabilities build(EbpfApi api, Mode mode, Release release, IntPredicate mapTypeWorks, String progLoad, Support interfaceIndex,
            IntPredicate programTypeRegistered, IntPredicate attachTypeRegistered) {
        Capabilities.Builder b = Capabilities.builder();
        for (Operation op : Operation.values()) {
            b.operation(op, op == Operation.INTERFACE_INDEX ? interfaceIndex : operation(api, mode, op, progLoad));
        }
        for (MapType t : MapType.values()) {
            int n = WinTypes.mapType(t);
            if (t == MapType.UNSPEC) b.mapType(t, Support.no("UNSPEC is not a map type"));
            else if (n < 0) b.mapType(t, Support.no("not in eBPF for Windows: map type " + t));
            else if (!mapTypeWorks.test(n)) {
                b.mapType(t, Support.no("not in this eBPF for Windows: creating a " + t + " map (Windows type " + n
                        + ") failed; it needs eBPF for Windows " + WinTypes.since(t) + " or later"
                        + (t == MapType.XSKMAP ? " and xdp-for-windows" : "")));
            } else b.mapType(t, Support.YES);
        }
        for (ProgramType t : ProgramType.values()) {
            int n = WinTypes.programType(t);
            if (t == ProgramType.UNSPEC) b.programType(t, Support.no("UNSPEC is not a program type"));
            else if (n < 0) b.programType(t, Support.no("not in eBPF for Windows: program type " + t));
            else if (WinTypes.until(t) != null && release.atLeast(Release.V1_0)) {
                b.programType(t, Support.no("not in this eBPF for Windows: program type " + t + " (Windows type " + n
                        + ") exists through eBPF for Windows " + WinTypes.until(t) + ".x only"
                        + " (include/ebpf_structs.h@Release-v0.21.0:258, absent at Release-v1.0.0-rc1); from 1.0.0-rc1"
                        + " an xdp_test section is read as xdp: rename the section xdp for those releases"));
            } else if (!programTypeRegistered.test(n)) {
                b.programType(t, Support.no("not registered in this eBPF for Windows: program type " + t
                        + " (Windows type " + n + ") needs its extension: " + extension(t)));
            } else b.programType(t, Support.YES);
        }
        for (AttachType t : AttachType.values()) {
            int n = WinTypes.attachType(t);
            if (n < 0) b.attachType(t, Support.no("not in eBPF for Windows: attach type " + t));
            else if (!attachTypeRegistered.test(n)) {
                b.attachType(t, Support.no("not registered in this eBPF for Windows: attach type " + t
                        + " (Windows type " + n + ", eBPF for Windows " + WinTypes.since(t) + " or later, with its extension)"));
            } else if (!api.has(Export.EBPF_PROGRAM_ATTACH_BY_FDS)) {
                b.attachType(t, Support.no(Export.EBPF_PROGRAM_ATTACH_BY_FDS.missingReason()));
            } else b.attachType(t, Support.YES);
        }
        for (LinkType t : LinkType.values()) {
            if (t == LinkType.UNSPEC) b.linkType(t, Support.no("UNSPEC is not a link type"));
            else if (WinTypes.linkType(t) < 0) b.linkType(t, Support.no("not in eBPF for Windows: link type " + t));
            else if (!api.has(Export.EBPF_PROGRAM_ATTACH_BY_FDS)) {
                b.linkType(t, Support.no(Export.EBPF_PROGRAM_ATTACH_BY_FDS.missingReason()));
            } else b.linkType(t, Support.YES);
        }
        return b.build();
    }

    /**
     * The extension that registers a program type: xdp-for-windows for XDP, NetEbpfExt for the
     * network hooks (netebpfext/net_ebpf_ext_program_info.h@v1.5.0:24-30 for bind, :106-224 for the
     * others; xdp_test through 0.21.x, @Release-v0.21.0:50-56), microsoft/ntosebpfext for NETEVENT
     * and PROCESS (include/ebpf_structs.h@v1.5.0:241, :253), and efW's sample extension, a test
     * driver (undocked/tests/sample/ext/drv/sample_ext.c@v1.5.0), for SAMPLE.
     */
    static String extension(ProgramType t) {
        return switch (t) {
            case XDP -> "xdp-for-windows";
            case NETEVENT, PROCESS -> "ntosebpfext (github.com/microsoft/ntosebpfext), installed apart from eBPF for Windows";
            case SAMPLE -> "eBPF for Windows' sample extension (sample_ext.sys), a test driver";
            default -> "NetEbpfExt, installed by the eBPF for Windows MSI";
        };
    }

    private static Support operation(EbpfApi api, Mode mode, Operation op, String progLoad) {
        String linuxOnly = LINUX_ONLY.get(op);
        if (linuxOnly != null) return Support.no(linuxOnly);
        String notYet = NOT_YET.get(op);
        if (notYet != null) return Support.no(notYet);
        Export e = export(op, mode);
        if (!api.has(e)) return Support.no(missing(op, e));
        if (op == Operation.PROG_LOAD && progLoad != null) return Support.no(progLoad);
        return Support.YES;
    }
}
