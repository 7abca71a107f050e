package io.bpf4j.windows.internal;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.Operation;
import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.sys.Export;
import io.bpf4j.windows.internal.uapi.WinErrors;

/**
 * Asks the library what it can do, once: creates a tiny map of each Windows map type, asks
 * which program and attach types installed extensions registered, and loads a two-instruction
 * program of the first registered type to learn whether JIT loading works here (a NativeOnly
 * build refuses with ERROR_NOT_SUPPORTED or ENOTSUP, see {@code ProgOps.NATIVE_ONLY}; a stopped
 * eBPFSvc gives EBPF_RPC_EXCEPTION, which is EOTHER).
 */
final class Probe {
    private static final long[] RETURN_0 = {0xb7L, 0x95L};   // mov64 r0, 0; exit
    private static final int EOTHER = 131;
    private static final int PAGE = 4096;

    private final WinBackend b;
    private final EbpfApi api;

    Probe(WinBackend b) {
        this.b = b;
        this.api = b.api;
    }

    Capabilities capabilities() {
        boolean canCreate = api.has(WinCapabilities.export(Operation.MAP_CREATE, b.mode));
        return WinCapabilities.build(api, b.mode, b.release, n -> canCreate && mapWorks(n), progLoad(), b.interfaces().support(),
                this::programRegistered, this::attachRegistered);
    }

    private boolean programRegistered(int winType) {
        if (!api.has(Export.EBPF_GET_EBPF_PROGRAM_TYPE)) return true;   // before 0.21: the table alone
        return api.ebpfGetEbpfProgramType(winType) != 0;
    }

    private boolean attachRegistered(int winType) {
        if (!api.has(Export.EBPF_GET_EBPF_ATTACH_TYPE)) return true;
        Scratch s = b.s();
        return api.ebpfGetEbpfAttachType(winType, s.reserve(Scratch.KEY, 16)) == WinErrors.EBPF_SUCCESS;
    }

    private boolean mapWorks(int winType) {
        int key = 4;
        int value = 8;
        int max = 1;
        int inner = 0;
        switch (winType) {
            case 10, 12 -> key = 0;                               // queue, stack
            // A ring buffer's max_entries is its size in bytes, and so is a perf event array's, for
            // the ring of each CPU: a power of two (else EINVAL) and a multiple of the page size
            // (else ENOMEM): ebpf_maps.c@v1.5.0:2990 and :3298, ebpf_ring_buffer.c@v1.5.0:407-413,
            // ebpf_platform_kernel.c@v1.5.0:222-230 (@Release-v0.21.0: ebpf_ring_buffer.c:325-331,
            // ebpf_platform_kernel.c:37-44). One page is the smallest that works.
            case 13, 14 -> { key = 0; value = 0; max = PAGE; }
            case 3, 16 -> value = 4;                               // program array, xskmap
            case 9 -> key = 8;                                     // LPM trie: prefix length + data
            case 6, 7 -> value = 4;                                // maps of maps take a template
            default -> { }
        }
        try {
            if (winType == 6 || winType == 7) inner = b.maps().createRaw(2, 4, 4, 1, 0, "", "probe");
            int fd = b.maps().createRaw(winType, key, value, max, inner, "", "probe");
            api.ebpfCloseFd(fd);
            return true;
        } catch (BpfException e) {
            return false;
        } finally {
            if (inner > 0) api.ebpfCloseFd(inner);
        }
    }

    /** Null when loading works (or cannot be probed), else why not. */
    private String progLoad() {
        if (!api.has(WinCapabilities.export(Operation.PROG_LOAD, b.mode))) return null;
        for (int type : new int[] {1, 3, 4}) {
            if (!programRegistered(type)) continue;
            int r;
            try {
                r = b.progs().loadRaw(type, RETURN_0, "probe", 0, 0L, 0);
            } catch (io.bpf4j.api.BpfUnsupportedException e) {
                return e.reason();
            }
            if (r >= 0) {
                api.ebpfCloseFd(r);
                return null;
            }
            if (r == -WinErrors.ENOTSUP) return ProgOps.NATIVE_ONLY;
            if (r == -EOTHER) {
                return "not available in this eBPF for Windows: program loading failed with EOTHER (the eBPFSvc"
                        + " service is unreachable; start it with sc start eBPFSvc)";
            }
            return null;   // an ordinary errno: loading reaches the verifier
        }
        return null;
    }
}
