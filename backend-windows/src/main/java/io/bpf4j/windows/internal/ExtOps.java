package io.bpf4j.windows.internal;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramType;
import io.bpf4j.windows.WindowsBpf;
import io.bpf4j.windows.internal.sys.Export;
import io.bpf4j.windows.internal.uapi.Guids;
import io.bpf4j.windows.internal.uapi.Opts;
import io.bpf4j.windows.internal.uapi.PinPaths;
import io.bpf4j.windows.internal.uapi.WinErrors;
import io.bpf4j.windows.internal.uapi.WinTypes;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link WindowsBpf} extension: efW's own {@code ebpf_*} exports (pin listing and
 * canonicalization, object kinds, attach by descriptors with attach-type GUIDs, type GUIDs,
 * native images) and the libbpf-style XDP functions. Each reports the operation closest to it
 * in {@link Operation} when it fails.
 */
final class ExtOps {
    private static final int NATIVE_START = 16;
    private static final int ENOENT = 2;
    private final WinBackend b;

    ExtOps(WinBackend b) {
        this.b = b;
    }

    private int result(Operation op, String object, int r, Export e) {
        if (r != WinErrors.EBPF_SUCCESS) throw Fail.result(op, object, r, e.symbol());
        return r;
    }

    String canonicalize(String path) {
        b.need(Operation.OBJ_PIN, Export.EBPF_CANONICALIZE_PIN_PATH);
        if (path == null || path.indexOf('\0') >= 0) throw new IllegalArgumentException("path: null or contains NUL");
        Scratch s = b.s();
        long in = s.putString(Scratch.STRING, path);
        long out = s.reserve(Scratch.STRING2, PinPaths.MAX_PATH);
        result(Operation.OBJ_PIN, "pin \"" + path + "\"", b.api.ebpfCanonicalizePinPath(out, PinPaths.MAX_PATH, in),
                Export.EBPF_CANONICALIZE_PIN_PATH);
        return s.getString(Scratch.STRING2, PinPaths.MAX_PATH);
    }

    Optional<WindowsBpf.PinnedObject> nextPinned(String after, WindowsBpf.ObjectKind filter) {
        b.need(Operation.OBJ_GET, Export.EBPF_GET_NEXT_PINNED_OBJECT_PATH);
        if (after == null || after.indexOf('\0') >= 0) throw new IllegalArgumentException("after: null or contains NUL");
        Scratch s = b.s();
        long start = s.putString(Scratch.STRING, after);
        long next = s.reserve(Scratch.STRING2, PinPaths.MAX_PATH);
        s.out().putInt(0, (filter == null ? WindowsBpf.ObjectKind.ANY : filter).ordinal());
        int r = b.api.ebpfGetNextPinnedObjectPath(start, next, PinPaths.MAX_PATH, s.outAddr);
        if (r == WinErrors.EBPF_NO_MORE_KEYS) return Optional.empty();
        result(Operation.OBJ_GET, null, r, Export.EBPF_GET_NEXT_PINNED_OBJECT_PATH);
        return Optional.of(new WindowsBpf.PinnedObject(s.getString(Scratch.STRING2, PinPaths.MAX_PATH),
                WindowsBpf.ObjectKind.of(s.out.getInt(0))));
    }

    WindowsBpf.ObjectKind kind(int fd) {
        b.need(Operation.OBJ_GET_INFO_BY_FD, Export.EBPF_OBJECT_GET_INFO_BY_FD);
        Scratch s = b.s();
        s.out();
        result(Operation.OBJ_GET_INFO_BY_FD, "fd " + fd, b.api.ebpfObjectGetInfoByFd(fd, 0L, 0L, s.outAddr),
                Export.EBPF_OBJECT_GET_INFO_BY_FD);
        return WindowsBpf.ObjectKind.of(s.out.getInt(0));
    }

    Optional<UUID> programTypeGuid(ProgramType type) {
        b.need(Operation.PROG_LOAD, Export.EBPF_GET_EBPF_PROGRAM_TYPE);
        int n = WinTypes.programType(type);
        if (n <= 0) return Optional.empty();
        long p = b.api.ebpfGetEbpfProgramType(n);
        if (p == 0) return Optional.empty();
        byte[] g = new byte[Guids.SIZE];
        b.api.read(p, g);   // the GUID lives in the library's registry cache
        return Optional.of(Guids.get(ByteBuffer.wrap(g), 0));
    }

    Optional<UUID> attachTypeGuid(AttachType type) {
        b.need(Operation.LINK_CREATE, Export.EBPF_GET_EBPF_ATTACH_TYPE);
        int n = WinTypes.attachType(type);
        return n <= 0 ? Optional.empty() : attachGuid(n);
    }

    /**
     * {@code ebpf_get_ebpf_attach_type}: EBPF_INVALID_ARGUMENT, and a zero GUID, when no installed
     * extension registered the number (libs/api_common/windows_platform_common.cpp@v1.5.0:443-454).
     */
    Optional<UUID> attachGuid(int winAttachType) {
        b.need(Operation.LINK_CREATE, Export.EBPF_GET_EBPF_ATTACH_TYPE);
        Scratch s = b.s();
        long g = s.reserve(Scratch.KEY, Guids.SIZE);
        if (b.api.ebpfGetEbpfAttachType(winAttachType, g) != WinErrors.EBPF_SUCCESS) return Optional.empty();
        return Optional.of(Guids.get(s.buffer(Scratch.KEY), 0));
    }

    int guidToNumber(UUID guid, boolean program) {
        Export e = program ? Export.EBPF_GET_BPF_PROGRAM_TYPE : Export.EBPF_GET_BPF_ATTACH_TYPE;
        b.need(program ? Operation.PROG_LOAD : Operation.PROG_ATTACH, e);
        Scratch s = b.s();
        long g = s.reserve(Scratch.KEY, Guids.SIZE);
        Guids.put(s.buffer(Scratch.KEY), 0, guid);
        return program ? b.api.ebpfGetBpfProgramType(g) : b.api.ebpfGetBpfAttachType(g);
    }

    WindowsBpf.NativeObject loadNative(String path) {
        b.need(Operation.PROG_LOAD, Export.EBPF_OBJECT_LOAD_NATIVE_BY_FDS);
        if (path == null || path.isEmpty() || path.indexOf('\0') >= 0) throw new IllegalArgumentException("path: empty or contains NUL");
        int maps = NATIVE_START;
        int progs = NATIVE_START;
        while (true) {
            Scratch s = b.s();
            long file = s.putString(Scratch.STRING, path);
            long mapFds = s.reserve(Scratch.DATA, maps * 4);
            long progFds = s.reserve(Scratch.DATA2, progs * 4);
            ByteBuffer out = s.out();
            out.putLong(0, maps);
            out.putLong(8, progs);
            int r = b.api.ebpfObjectLoadNativeByFds(file, s.outAddr, mapFds, s.outAddr + 8, progFds);
            if (r == WinErrors.EBPF_NO_MEMORY && (out.getLong(0) > maps || out.getLong(8) > progs)) {
                // The arrays were too small: the library returned the counts it needs.
                maps = Math.toIntExact(Math.max(maps, out.getLong(0)));
                progs = Math.toIntExact(Math.max(progs, out.getLong(8)));
                continue;
            }
            result(Operation.PROG_LOAD, "native image \"" + path + "\"", r, Export.EBPF_OBJECT_LOAD_NATIVE_BY_FDS);
            int[] m = new int[Math.toIntExact(out.getLong(0))];
            int[] p = new int[Math.toIntExact(out.getLong(8))];
            for (int i = 0; i < m.length; i++) m[i] = s.buffer(Scratch.DATA).getInt(i * 4);
            for (int i = 0; i < p.length; i++) p[i] = s.buffer(Scratch.DATA2).getInt(i * 4);
            return new WindowsBpf.NativeObject(m, p);
        }
    }

    /**
     * {@code bpf_xdp_attach}: without XDP_FLAGS_REPLACE it only adds an attachment made without a
     * link output, which lasts until detached (libs/api/libbpf_program.cpp@v1.5.0:636-639).
     */
    void xdpAttach(int ifindex, int progFd, int flags) {
        b.need(Operation.PROG_ATTACH, Export.BPF_XDP_ATTACH);
        Scratch s = b.s();
        Opts.begin(s.opts, Opts.XDP_ATTACH_SIZE);
        WinBackend.check(Operation.PROG_ATTACH, "XDP on ifindex " + ifindex,
                b.api.bpfXdpAttach(ifindex, progFd, flags, s.optsAddr));
    }

    /**
     * {@code bpf_xdp_detach} is {@code bpf_xdp_attach} with no program: it detaches every link of
     * the interface's attached program, links of other owners included, and succeeds when nothing
     * is attached (libs/api/libbpf_program.cpp@v1.5.0:587-643, :657-661).
     */
    void xdpDetach(int ifindex, int flags) {
        b.need(Operation.PROG_DETACH, Export.BPF_XDP_DETACH);
        Scratch s = b.s();
        Opts.begin(s.opts, Opts.XDP_ATTACH_SIZE);
        WinBackend.check(Operation.PROG_DETACH, "XDP on ifindex " + ifindex, b.api.bpfXdpDetach(ifindex, flags, s.optsAddr));
    }

    /**
     * {@code bpf_xdp_query_id} walks the links and returns -ENOENT when it runs out of them without
     * a match, that is when nothing is attached (libs/api/libbpf_program.cpp@v1.5.0:673-702,
     * @Release-v0.21.0 the same): that is the "0, none" of the contract here.
     */
    int xdpQueryId(int ifindex, int flags) {
        b.need(Operation.PROG_QUERY, Export.BPF_XDP_QUERY_ID);
        Scratch s = b.s();
        s.out();
        int r = b.api.bpfXdpQueryId(ifindex, flags, s.outAddr);
        if (r == -ENOENT) return 0;
        WinBackend.check(Operation.PROG_QUERY, "XDP on ifindex " + ifindex, r);
        return s.out.getInt(0);
    }
}
