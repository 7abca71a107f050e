package io.bpf4j.windows.internal.uapi;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * eBPF for Windows' numbers for the portable enums, from {@code include/ebpf_structs.h}: map types
 * at ebpf_structs.h@Release-v0.21.0:19-34 and @v1.5.0:19-36, program types at @v1.5.0:187-272
 * (implicit numbering from 0, SAMPLE = 999), link types at @v1.5.0:281-288, attach types at
 * ebpf_structs.h@v1.5.0:292-398 (implicit from 0; NETEVENT = 10 and PROCESS = 11 are explicit, the slot 9 was
 * XDP_TEST through 0.21.x, @Release-v0.21.0:351). Only map types 0 to 3 coincide with Linux,
 * so every number crosses this table in both directions, including the {@code type} fields of
 * info structs. A constant with no Windows number is absent from the tables; callers report it
 * unsupported. "Since" is the first tag whose header has the number ("0.17" is the oldest
 * checked, Release-v0.17.0).
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

    /** Windows-only program type {@code BPF_PROG_TYPE_BIND}, include/ebpf_structs.h@v1.5.0:209. */
    public static final int PROG_BIND = 2;
    /** {@code BPF_PROG_TYPE_NETEVENT} (ntosebpfext), include/ebpf_structs.h@v1.5.0:250. */
    public static final int PROG_NETEVENT = 5;
    /** {@code BPF_PROG_TYPE_PROCESS} (ntosebpfext), include/ebpf_structs.h@v1.5.0:262. */
    public static final int PROG_PROCESS = 6;
    /** {@code BPF_PROG_TYPE_XDP_TEST}, through 0.21.x only: include/ebpf_structs.h@Release-v0.21.0:258. */
    public static final int PROG_XDP_TEST = 998;
    /** {@code BPF_PROG_TYPE_SAMPLE} (test extension), include/ebpf_structs.h@v1.5.0:271. */
    public static final int PROG_SAMPLE = 999;
    /** {@code BPF_MAP_TYPE_SAMPLE_HASH_MAP} (test extension), include/ebpf_structs.h@Release-v1.1.0:35. */
    public static final int MAP_SAMPLE_HASH = 15;
    /** {@code BPF_LINK_TYPE_PLAIN}: a link with no Linux counterpart (bind, sample ...), @v1.5.0:284. */
    public static final int LINK_PLAIN = 1;
    /** {@code BPF_ATTACH_TYPE_BIND}, include/ebpf_structs.h@v1.5.0:306. */
    public static final int ATTACH_BIND = 2;
    /** {@code BPF_ATTACH_TYPE_SAMPLE}, include/ebpf_structs.h@Release-v0.21.0:345, @v1.5.0:346. */
    public static final int ATTACH_SAMPLE = 8;
    /** {@code BPF_XDP_TEST}, through 0.21.x only: include/ebpf_structs.h@Release-v0.21.0:351. */
    public static final int ATTACH_XDP_TEST = 9;
    /** {@code BPF_ATTACH_TYPE_NETEVENT}, include/ebpf_structs.h@Release-v0.21.0:357, @v1.5.0:352. */
    public static final int ATTACH_NETEVENT = 10;
    /** {@code BPF_ATTACH_TYPE_PROCESS}, include/ebpf_structs.h@Release-v0.21.0:363, @v1.5.0:358. */
    public static final int ATTACH_PROCESS = 11;
    /** {@code BPF_CGROUP_INET4_RECV_ACCEPT}, include/ebpf_structs.h@v1.5.0:327. */
    public static final int ATTACH_INET4_RECV_ACCEPT = 5;
    /** {@code BPF_CGROUP_INET6_RECV_ACCEPT}, include/ebpf_structs.h@v1.5.0:334. */
    public static final int ATTACH_INET6_RECV_ACCEPT = 6;
    /** {@code BPF_CGROUP_INET4_CONNECT_AUTHORIZATION} (1.3.0+), include/ebpf_structs.h@v1.3.0:364. */
    public static final int ATTACH_INET4_CONNECT_AUTHORIZATION = 12;
    /** {@code BPF_CGROUP_INET6_CONNECT_AUTHORIZATION} (1.3.0+), include/ebpf_structs.h@v1.3.0:371. */
    public static final int ATTACH_INET6_CONNECT_AUTHORIZATION = 13;
    /** {@code BPF_CGROUP_INET4_LISTEN} (1.3.0+), include/ebpf_structs.h@v1.3.0:389. */
    public static final int ATTACH_INET4_LISTEN = 16;
    /** {@code BPF_CGROUP_INET6_LISTEN} (1.3.0+), include/ebpf_structs.h@v1.3.0:395. */
    public static final int ATTACH_INET6_LISTEN = 17;

    static {
        // include/ebpf_structs.h@Release-v0.21.0:19-34; 15 is SAMPLE_HASH_MAP (@Release-v1.1.0:35).
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
        map(MapType.PERF_EVENT_ARRAY, 14, "0.21.0");     // @Release-v0.21.0:34, absent at Release-v0.20.0
        map(MapType.XSKMAP, 16, "1.2.1");                // @v1.2.1:36, absent at Release-v1.1.0

        // include/ebpf_structs.h@v1.5.0:189 (0), :199 (1), :227 (3), :238 (4).
        prog(ProgramType.UNSPEC, 0, "0.17");
        prog(ProgramType.XDP, 1, "0.17");
        prog(ProgramType.CGROUP_SOCK_ADDR, 3, "0.17");
        prog(ProgramType.SOCK_OPS, 4, "0.17");
        // Windows' own types, the same numbers at every supported release: @Release-v0.21.0:199 (2),
        // :236 (5), :248 (6), :267 (999); @v1.5.0:209, :250, :262, :271. XDP_TEST (998) is in 0.21.x
        // only (@Release-v0.21.0:258; absent at Release-v1.0.0-rc1), so it is no longer sent after.
        prog(ProgramType.BIND, PROG_BIND, "0.17");
        prog(ProgramType.NETEVENT, PROG_NETEVENT, "0.17");
        prog(ProgramType.PROCESS, PROG_PROCESS, "0.17");
        prog(ProgramType.XDP_TEST, PROG_XDP_TEST, "0.17");
        prog(ProgramType.SAMPLE, PROG_SAMPLE, "0.17");

        // include/ebpf_structs.h@v1.5.0:300 (1), :313 (3), :320 (4), :340 (7), :378 (14), :384 (15).
        attach(AttachType.XDP, 1, "0.17");
        attach(AttachType.CGROUP_INET4_CONNECT, 3, "0.17");
        attach(AttachType.CGROUP_INET6_CONNECT, 4, "0.17");
        attach(AttachType.CGROUP_SOCK_OPS, 7, "0.17");
        attach(AttachType.CGROUP_INET4_BIND, 14, "1.3.0");  // @v1.3.0:377, absent at v1.2.1
        attach(AttachType.CGROUP_INET6_BIND, 15, "1.3.0");  // @v1.3.0:383

        // include/ebpf_structs.h@v1.5.0:283-286 (PLAIN, 1, has no portable name).
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
     * The last eBPF for Windows release with a program type, for the one type a release dropped.
     *
     * @param t the type
     * @return {@code 0.21} for {@link ProgramType#XDP_TEST}, else null (every later release has it)
     */
    public static String until(ProgramType t) {
        return t == ProgramType.XDP_TEST ? "0.21" : null;
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
     * The one hook of a Windows program type that has one: XDP has {@code BPF_XDP}, BIND has
     * {@code BPF_ATTACH_TYPE_BIND} and SOCK_OPS has {@code BPF_CGROUP_SOCK_OPS}
     * (include/ebpf_structs.h@v1.5.0:195, :205, :234); NETEVENT, PROCESS and SAMPLE have one each
     * (:246, :258, :269), XDP_TEST had {@code BPF_XDP_TEST}
     * (@Release-v0.21.0:254, :351); CGROUP_SOCK_ADDR has eight (@v1.5.0:216-223).
     * {@code ebpf_program_attach_by_fds} with no attach type does not know this for a program
     * loaded through {@code bpf()}: it looks for the program in the process's own
     * {@code bpf_object} table and fails with EBPF_INVALID_ARGUMENT when it is not there
     * (libs/api/ebpf_api.cpp@v1.5.0:1997-2001, :2097-2100; @Release-v0.21.0:1601-1603, :1675-1677),
     * so the backend resolves the hook itself.
     *
     * @param winProgType the Windows program type
     * @return the Windows attach type, or 0 when the program type has several hooks or is unknown
     */
    public static int defaultAttachType(int winProgType) {
        return switch (winProgType) {
            case 1 -> 1;
            case PROG_BIND -> ATTACH_BIND;
            case 4 -> 7;
            case PROG_NETEVENT -> ATTACH_NETEVENT;
            case PROG_PROCESS -> ATTACH_PROCESS;
            case PROG_XDP_TEST -> ATTACH_XDP_TEST;
            case PROG_SAMPLE -> ATTACH_SAMPLE;
            default -> 0;
        };
    }

    /**
     * Which Windows program type an attach type belongs to (the "Program type" of each attach
     * type in include/ebpf_structs.h@v1.5.0:292-398).
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
            case ATTACH_SAMPLE -> PROG_SAMPLE;
            case ATTACH_XDP_TEST -> PROG_XDP_TEST;
            case ATTACH_NETEVENT -> PROG_NETEVENT;
            case ATTACH_PROCESS -> PROG_PROCESS;
            default -> 0;
        };
    }
}
