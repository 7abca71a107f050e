package io.bpf4j.windows.internal.uapi;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * eBPF for Windows' numbers for the portable enums, from {@code include/ebpf_structs.h} at
 * microsoft/ebpf-for-windows {@code 0be2d1c} (1.6.0-dev). Only map types 0 to 3 coincide with
 * Linux, so every number crosses this table in both directions, including the {@code type}
 * fields of info structs. A constant with no Windows number is absent from the tables; callers
 * report it unsupported.
 */
public final class WinTypes {
    /** A row: the portable constant, its Windows number, and the first release that has it. */
    private record Row<E>(E portable, int windows, String since) {
    }

    private static final Map<MapType, Row<MapType>> MAPS = new EnumMap<>(MapType.class);
    private static final Map<ProgramType, Row<ProgramType>> PROGS = new EnumMap<>(ProgramType.class);
    private static final Map<AttachType, Row<AttachType>> ATTACHES = new EnumMap<>(AttachType.class);
    private static final Map<LinkType, Row<LinkType>> LINKS = new EnumMap<>(LinkType.class);
    private static final Map<Integer, MapType> MAPS_BACK = new HashMap<>();
    private static final Map<Integer, ProgramType> PROGS_BACK = new HashMap<>();
    private static final Map<Integer, AttachType> ATTACHES_BACK = new HashMap<>();
    private static final Map<Integer, LinkType> LINKS_BACK = new HashMap<>();

    /** Windows-only program types (no portable constant): {@code BPF_PROG_TYPE_BIND}. */
    public static final int PROG_BIND = 2;
    /** {@code BPF_PROG_TYPE_NETEVENT} (ntosebpfext, 0.21+). */
    public static final int PROG_NETEVENT = 5;
    /** {@code BPF_PROG_TYPE_PROCESS} (ntosebpfext, 0.21+). */
    public static final int PROG_PROCESS = 6;
    /** {@code BPF_PROG_TYPE_SAMPLE} (test extension). */
    public static final int PROG_SAMPLE = 999;
    /** {@code BPF_MAP_TYPE_SAMPLE_HASH_MAP} (1.1.0+, test extension). */
    public static final int MAP_SAMPLE_HASH = 15;
    /** {@code BPF_LINK_TYPE_PLAIN}: a link with no Linux counterpart (bind, sample ...). */
    public static final int LINK_PLAIN = 1;
    /** Windows-only attach type numbers, for link info decoding. */
    public static final int ATTACH_BIND = 2;
    /** {@code BPF_CGROUP_INET4_RECV_ACCEPT}. */
    public static final int ATTACH_INET4_RECV_ACCEPT = 5;
    /** {@code BPF_CGROUP_INET6_RECV_ACCEPT}. */
    public static final int ATTACH_INET6_RECV_ACCEPT = 6;

    static {
        map(MapType.UNSPEC, 0, "0.17");
        map(MapType.HASH, 1, "0.17");
        map(MapType.ARRAY, 2, "0.17");
        map(MapType.PROG_ARRAY, 3, "0.17");
        map(MapType.PERCPU_HASH, 4, "0.17");
        map(MapType.PERCPU_ARRAY, 5, "0.17");
        map(MapType.HASH_OF_MAPS, 6, "0.17");
        map(MapType.ARRAY_OF_MAPS, 7, "0.17");
        map(MapType.LRU_HASH, 8, "0.17");
        map(MapType.LPM_TRIE, 9, "0.17");
        map(MapType.QUEUE, 10, "0.17");
        map(MapType.LRU_PERCPU_HASH, 11, "0.17");
        map(MapType.STACK, 12, "0.17");
        map(MapType.RINGBUF, 13, "0.17");
        map(MapType.PERF_EVENT_ARRAY, 14, "0.21.0");
        map(MapType.XSKMAP, 16, "1.2.1");

        prog(ProgramType.UNSPEC, 0, "0.17");
        prog(ProgramType.XDP, 1, "0.17");
        prog(ProgramType.CGROUP_SOCK_ADDR, 3, "0.17");
        prog(ProgramType.SOCK_OPS, 4, "0.17");

        attach(AttachType.XDP, 1, "0.17");
        attach(AttachType.CGROUP_INET4_CONNECT, 3, "0.17");
        attach(AttachType.CGROUP_INET6_CONNECT, 4, "0.17");
        attach(AttachType.CGROUP_SOCK_OPS, 7, "0.17");
        attach(AttachType.CGROUP_INET4_BIND, 14, "1.3.0");
        attach(AttachType.CGROUP_INET6_BIND, 15, "1.3.0");

        link(LinkType.UNSPEC, 0);
        link(LinkType.CGROUP, 2);
        link(LinkType.XDP, 3);
    }

    private WinTypes() {
    }

    private static void map(MapType t, int n, String since) {
        MAPS.put(t, new Row<>(t, n, since));
        MAPS_BACK.put(n, t);
    }

    private static void prog(ProgramType t, int n, String since) {
        PROGS.put(t, new Row<>(t, n, since));
        PROGS_BACK.put(n, t);
    }

    private static void attach(AttachType t, int n, String since) {
        ATTACHES.put(t, new Row<>(t, n, since));
        ATTACHES_BACK.put(n, t);
    }

    private static void link(LinkType t, int n) {
        LINKS.put(t, new Row<>(t, n, "0.17"));
        LINKS_BACK.put(n, t);
    }

    /**
     * The Windows {@code bpf_map_type} number.
     *
     * @param t the portable type
     * @return its number, or -1 when eBPF for Windows has no such type
     */
    public static int mapType(MapType t) {
        Row<MapType> r = MAPS.get(t);
        return r == null ? -1 : r.windows();
    }

    /**
     * The portable map type of a Windows number.
     *
     * @param n the Windows number
     * @return the type, or {@link MapType#UNSPEC} for a Windows-only or unknown number
     */
    public static MapType mapType(int n) {
        return MAPS_BACK.getOrDefault(n, MapType.UNSPEC);
    }

    /**
     * The Windows {@code bpf_prog_type} number.
     *
     * @param t the portable type
     * @return its number, or -1 when eBPF for Windows has no such type
     */
    public static int programType(ProgramType t) {
        Row<ProgramType> r = PROGS.get(t);
        return r == null ? -1 : r.windows();
    }

    /**
     * The portable program type of a Windows number.
     *
     * @param n the Windows number
     * @return the type, or {@link ProgramType#UNSPEC} for a Windows-only or unknown number
     */
    public static ProgramType programType(int n) {
        return PROGS_BACK.getOrDefault(n, ProgramType.UNSPEC);
    }

    /**
     * The Windows {@code bpf_attach_type} number.
     *
     * @param t the portable type
     * @return its number, or -1 when eBPF for Windows has no such hook
     */
    public static int attachType(AttachType t) {
        Row<AttachType> r = ATTACHES.get(t);
        return r == null ? -1 : r.windows();
    }

    /**
     * The portable attach type of a Windows number.
     *
     * @param n the Windows number
     * @return the type, or null for a Windows-only or unknown number
     */
    public static AttachType attachType(int n) {
        return ATTACHES_BACK.get(n);
    }

    /**
     * The Windows {@code bpf_link_type} number.
     *
     * @param t the portable type
     * @return its number, or -1 when eBPF for Windows has no such link type
     */
    public static int linkType(LinkType t) {
        Row<LinkType> r = LINKS.get(t);
        return r == null ? -1 : r.windows();
    }

    /**
     * The portable link type of a Windows number.
     *
     * @param n the Windows number
     * @return the type, or {@link LinkType#UNSPEC} for {@code PLAIN} and unknown numbers
     */
    public static LinkType linkType(int n) {
        return LINKS_BACK.getOrDefault(n, LinkType.UNSPEC);
    }

    /**
     * The first eBPF for Windows release with a map type.
     *
     * @param t the type
     * @return a version such as {@code 0.21.0}, or null when no release has it
     */
    public static String since(MapType t) {
        Row<MapType> r = MAPS.get(t);
        return r == null ? null : r.since();
    }

    /**
     * The first eBPF for Windows release with an attach type.
     *
     * @param t the type
     * @return a version, or null when no release has it
     */
    public static String since(AttachType t) {
        Row<AttachType> r = ATTACHES.get(t);
        return r == null ? null : r.since();
    }

    /**
     * The Windows attach type a program of this Windows type attaches to when no attach type is
     * given ({@code ebpf_program_attach_by_fds} with a null GUID does the same).
     *
     * @param winProgType the Windows program type
     * @return the Windows attach type, or 0 when the program type has several hooks
     */
    public static int defaultAttachType(int winProgType) {
        return switch (winProgType) {
            case 1 -> 1;   // XDP
            case 2 -> 2;   // BIND
            case 4 -> 7;   // SOCK_OPS -> CGROUP_SOCK_OPS
            default -> 0;  // CGROUP_SOCK_ADDR has eight hooks: the caller must name one
        };
    }

    /**
     * Which Windows program type an attach type belongs to.
     *
     * @param winAttachType the Windows attach type
     * @return the Windows program type, or 0 when unknown
     */
    public static int programTypeOfAttach(int winAttachType) {
        return switch (winAttachType) {
            case 1 -> 1;
            case 2 -> 2;
            case 3, 4, 5, 6, 12, 13, 14, 15, 16, 17 -> 3;
            case 7 -> 4;
            default -> 0;
        };
    }
}
