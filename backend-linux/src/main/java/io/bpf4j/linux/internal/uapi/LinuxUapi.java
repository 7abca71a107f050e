package io.bpf4j.linux.internal.uapi;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramType;

/**
 * The Linux uapi numbers of the portable enums ({@code include/uapi/linux/bpf.h}, Linux 6.18,
 * checked against {@code /sys/kernel/btf/vmlinux}). The portable enums are declared in uapi
 * order, so a number is the constant's ordinal; {@code LinuxUapiTest} pins every number by name
 * so that reordering an enum cannot go unnoticed. eBPF for Windows' own program types follow
 * Linux's in {@link ProgramType} and have no number here ({@link ProgramType#windowsOnly()}).
 */
public final class LinuxUapi {
    private static final MapType[] MAP_TYPES = MapType.values();
    /** Linux's program types: those up to {@link ProgramType#NETFILTER}, the last in Linux 6.18. */
    private static final ProgramType[] PROGRAM_TYPES =
            java.util.Arrays.copyOf(ProgramType.values(), ProgramType.NETFILTER.ordinal() + 1);
    private static final AttachType[] ATTACH_TYPES = AttachType.values();
    private static final LinkType[] LINK_TYPES = LinkType.values();

    private LinuxUapi() {
    }

    /**
     * The {@code enum bpf_cmd} number.
     *
     * @param op the operation
     * @return its command number
     * @throws IllegalArgumentException for the ring primitives, which are no {@code bpf()} command
     */
    public static int cmd(Operation op) {
        if (op.ordinal() > Operation.PROG_STREAM_READ_BY_FD.ordinal()) {
            throw new IllegalArgumentException("op: " + op + " is no bpf() command");
        }
        return op.ordinal();
    }

    /**
     * The {@code enum bpf_map_type} number.
     *
     * @param t the map type
     * @return its number
     */
    public static int mapType(MapType t) {
        return t.ordinal();
    }

    /**
     * The {@code enum bpf_prog_type} number.
     *
     * @param t the program type
     * @return its number
     * @throws IllegalArgumentException for eBPF for Windows' own types, which have none; the
     *     capability gate refuses them before a command is encoded, so this is the last guard
     *     against sending another type's number to the kernel
     */
    public static int programType(ProgramType t) {
        if (t.windowsOnly()) throw new IllegalArgumentException("t: " + t + " is an eBPF for Windows only program type");
        return t.ordinal();
    }

    /**
     * The {@code enum bpf_attach_type} number.
     *
     * @param t the attach type
     * @return its number
     */
    public static int attachType(AttachType t) {
        return t.ordinal();
    }

    /**
     * The {@code enum bpf_link_type} number.
     *
     * @param t the link type
     * @return its number
     */
    public static int linkType(LinkType t) {
        return t.ordinal();
    }

    /**
     * The map type with a number.
     *
     * @param n the number
     * @return the type, or {@link MapType#UNSPEC} for a number this library does not know
     */
    public static MapType mapType(int n) {
        return n >= 0 && n < MAP_TYPES.length ? MAP_TYPES[n] : MapType.UNSPEC;
    }

    /**
     * The program type with a number.
     *
     * @param n the number
     * @return the type, or {@link ProgramType#UNSPEC} for an unknown number
     */
    public static ProgramType programType(int n) {
        return n >= 0 && n < PROGRAM_TYPES.length ? PROGRAM_TYPES[n] : ProgramType.UNSPEC;
    }

    /**
     * The attach type with a number.
     *
     * @param n the number
     * @return the type, or null for an unknown number
     */
    public static AttachType attachType(int n) {
        return n >= 0 && n < ATTACH_TYPES.length ? ATTACH_TYPES[n] : null;
    }

    /**
     * The link type with a number.
     *
     * @param n the number
     * @return the type, or {@link LinkType#UNSPEC} for an unknown number
     */
    public static LinkType linkType(int n) {
        return n >= 0 && n < LINK_TYPES.length ? LINK_TYPES[n] : LinkType.UNSPEC;
    }
}
