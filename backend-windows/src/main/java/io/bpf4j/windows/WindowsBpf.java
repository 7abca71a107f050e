package io.bpf4j.windows;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.ProgramType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What eBPF for Windows offers beyond the portable {@link Bpf}: its own {@code ebpf_*} exports
 * and the libbpf-style XDP functions, for which {@code Bpf} has no place. The backend that
 * {@code Bpf.open("windows")} returns implements it:
 *
 * {@snippet :
 * try (Bpf bpf = Bpf.open("windows")) {
 *     if (bpf instanceof WindowsBpf win) {
 *         for (WindowsBpf.PinnedObject p : win.pinnedObjects(WindowsBpf.ObjectKind.ANY)) System.out.println(p);
 *     }
 * }
 * }
 *
 * <p>Each method needs an export some releases lack; without it the method throws
 * {@link io.bpf4j.api.BpfUnsupportedException} saying which release adds it.
 */
public interface WindowsBpf extends Bpf {

    /**
     * {@code XDP_FLAGS_REPLACE} as eBPF for Windows defines it, 1 (include/ebpf_structs.h at
     * v1.5.0:276); Linux's is {@code 1 << 4}.
     */
    int XDP_FLAGS_REPLACE = 0x01;

    /** {@code ebpf_object_type_t}. */
    enum ObjectKind {
        /** 0: unknown, or as a filter any type. */
        ANY,
        /** 1: a map. */
        MAP,
        /** 2: a link. */
        LINK,
        /** 3: a program. */
        PROGRAM;

        /**
         * The kind with a Windows number.
         *
         * @param n the {@code ebpf_object_type_t}
         * @return the kind, {@link #ANY} when unknown
         */
        public static ObjectKind of(int n) {
            return n >= 0 && n < values().length ? values()[n] : ANY;
        }
    }

    /**
     * A pin, as {@code ebpf_get_next_pinned_object_path} lists it.
     *
     * @param path the canonical path, {@code BPF:\...}
     * @param kind what is pinned there
     */
    record PinnedObject(String path, ObjectKind kind) {
    }

    /**
     * The descriptors {@code ebpf_object_load_native_by_fds} returns; the caller owns and closes them.
     *
     * @param mapFds the maps, in the image's order
     * @param programFds the programs, in the image's order
     */
    record NativeObject(int[] mapFds, int[] programFds) {
    }

    /**
     * {@code ebpf_canonicalize_pin_path}: the form every pin is stored under.
     *
     * @param path a pin path such as {@code /sys/fs/bpf/x} or {@code BPF:\x}
     * @return the canonical path, e.g. {@code BPF:\sys\fs\bpf\x}
     */
    String canonicalizePinPath(String path);

    /**
     * {@code ebpf_get_next_pinned_object_path}: the pin after {@code after} in lexicographic order.
     *
     * @param after a canonical path, or {@code ""} to start
     * @param filter the kind to list, {@link ObjectKind#ANY} for every kind
     * @return the next pin, or empty at the end
     */
    Optional<PinnedObject> nextPinnedObject(String after, ObjectKind filter);

    /**
     * Every pin of a kind, in lexicographic order.
     *
     * @param filter the kind, {@link ObjectKind#ANY} for all
     * @return the pins
     */
    default List<PinnedObject> pinnedObjects(ObjectKind filter) {
        List<PinnedObject> out = new ArrayList<>();
        for (Optional<PinnedObject> p = nextPinnedObject("", filter); p.isPresent();
                p = nextPinnedObject(p.get().path(), filter)) {
            out.add(p.get());
        }
        return out;
    }

    /**
     * {@code ebpf_object_get_info_by_fd(fd, NULL, NULL, &type)}: what a descriptor refers to.
     *
     * @param fd the descriptor
     * @return its kind
     */
    ObjectKind objectKind(int fd);

    /**
     * {@code ebpf_program_attach_by_fds}: attaches a program and returns the link. The link
     * detaches when its last descriptor or pin goes away. {@link Bpf#linkCreate} does the same
     * for the hooks that have a portable name; this also reaches the others, such as bind.
     *
     * @param progFd the program
     * @param attachType the hook, or null for the program type's one hook (XDP, bind, sock_ops),
     *     which the backend looks up itself: the library finds it only for programs it loaded
     *     from an object file in this process
     * @param params the hook's parameters: a u32 ifindex for XDP, an optional u32 compartment
     *     id for sock_addr and sock_ops, nothing for bind; null for none
     * @return the link's descriptor
     * @throws IllegalArgumentException when {@code attachType} is null and the program's type
     *     has several hooks (sock_addr)
     */
    int programAttach(int progFd, AttachType attachType, byte[] params);

    /**
     * {@code ebpf_get_ebpf_program_type}: the GUID an installed extension registered.
     *
     * @param type the program type
     * @return the GUID, or empty when no extension registered it
     */
    Optional<UUID> programTypeGuid(ProgramType type);

    /**
     * {@code ebpf_get_ebpf_attach_type}: the GUID an installed extension registered.
     *
     * @param type the attach type
     * @return the GUID, or empty when none is registered
     */
    Optional<UUID> attachTypeGuid(AttachType type);

    /**
     * {@code ebpf_get_bpf_program_type}: the Windows {@code bpf_prog_type} number of a GUID.
     *
     * @param guid a program-type GUID
     * @return the number, 0 when unknown (Windows-only types have no {@link ProgramType})
     */
    int programTypeNumber(UUID guid);

    /**
     * {@code ebpf_get_bpf_attach_type}: the Windows {@code bpf_attach_type} number of a GUID.
     *
     * @param guid an attach-type GUID
     * @return the number, 0 when unknown
     */
    int attachTypeNumber(UUID guid);

    /**
     * {@code ebpf_object_load_native_by_fds}: loads a native image ({@code .sys} built by bpf2c).
     *
     * @param path the image's file
     * @return the maps and programs it created
     */
    NativeObject loadNative(String path);

    /**
     * {@code bpf_xdp_attach}: attaches an XDP program to an interface until detached. Without
     * {@link #XDP_FLAGS_REPLACE} it only adds an attachment; with it, every link of the program
     * attached there is detached first.
     *
     * @param ifindex the interface
     * @param progFd the program
     * @param flags 0, or {@link #XDP_FLAGS_REPLACE}
     */
    void xdpAttach(int ifindex, int progFd, int flags);

    /**
     * {@code bpf_xdp_detach}: detaches every link of the program attached at the interface,
     * whoever made them; nothing attached is not an error.
     *
     * @param ifindex the interface
     * @param flags XDP flags
     */
    void xdpDetach(int ifindex, int flags);

    /**
     * {@code bpf_xdp_query_id}.
     *
     * @param ifindex the interface
     * @param flags XDP flags
     * @return the attached program's id, 0 when none (the library's -ENOENT)
     */
    int xdpQueryId(int ifindex, int flags);
}
