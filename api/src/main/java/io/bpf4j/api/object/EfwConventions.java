package io.bpf4j.api.object;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * eBPF for Windows' object conventions ({@link ObjectFlavor#EBPF_FOR_WINDOWS}), from its source as
 * {@code path@tag:line}; tags are {@code Release-vX.Y.Z} to 1.1.0 and {@code vX.Y.Z} from 1.2.1.
 */
final class EfwConventions {
    /**
     * {@code struct _ebpf_map_definition_in_file}: eight {@code uint32_t}s (type, key_size,
     * value_size, max_entries, inner_map_idx, pinning, id, inner_id), the same at every release
     * (include/ebpf_structs.h@Release-v0.21.0:118-138, @v1.5.0:125-145). efW's loader takes each
     * record as the section's size over its symbols and copies at most this many bytes of it,
     * zero-padding a shorter one (libs/api/windows_platform.cpp@v1.5.0:36-47, :108).
     */
    static final int DEF_SIZE = 32;
    /** {@code LIBBPF_PIN_BY_NAME}, include/ebpf_structs.h@v1.5.0:95-99 (libbpf's number too). */
    private static final int PIN_BY_NAME = 1;

    /** A section prefix and what efW makes of it. */
    private record Def(String prefix, ProgramType type, AttachType eat, Hook hook) {
    }

    private static final List<Def> DEFS = new ArrayList<>();

    static {
        // The sections the extensions register, each with its Windows program and attach type.
        // XDP is xdp-for-windows' (efW's own copy: tests/cilium/cilium_tests.cpp@v1.5.0:55-60).
        def("xdp", ProgramType.XDP, AttachType.XDP, Hook.XDP);
        // netebpfext/net_ebpf_ext_program_info.h@v1.5.0:106-166 (@Release-v0.21.0:150-160 for connect).
        def("cgroup/connect4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT, Hook.NONE);
        def("cgroup/connect6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_CONNECT, Hook.NONE);
        // 1.3.0 and later (@v1.3.0:144-154; absent at v1.2.1).
        def("cgroup/bind4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_BIND, Hook.NONE);
        def("cgroup/bind6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_BIND, Hook.NONE);
        // The program type is portable; the hook is Windows-only and is named when attaching
        // (recv_accept @v1.5.0:120-130, @Release-v0.21.0:162-172; authorization and listen from
        // 1.3.0, @v1.3.0:132-142, :156-166).
        for (String h : new String[] {"recv_accept4", "recv_accept6", "connect_authorization4",
                "connect_authorization6", "listen4", "listen6"}) {
            def("cgroup/" + h, ProgramType.CGROUP_SOCK_ADDR, null, Hook.NONE);
        }
        // @v1.5.0:218-224, @Release-v0.21.0:213-217.
        def("sockops", ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS, Hook.NONE);
        // Windows-only program types (include/ebpf_structs.h@v1.5.0:187-272, ProgramType#windowsOnly()),
        // which only the Windows backend loads. bind: netebpfext/net_ebpf_ext_program_info.h@v1.5.0:24-30.
        def("bind", ProgramType.BIND, null, Hook.NONE);
        // The sample extension's (a test driver):
        // undocked/tools/export_program_info_sample/export_program_info_sample.cpp@v1.5.0:46-52.
        def("sample_ext", ProgramType.SAMPLE, null, Hook.NONE);
        // NetEbpfExt registered xdp_test through 0.21.x (net_ebpf_ext_program_info.h@Release-v0.21.0:50-56);
        // from 1.0.0-rc1 nothing does (@Release-v1.0.0-rc1 registers bind, cgroup/* and sockops only)
        // and efW's prefix rule reads it as xdp. Which release an object was written for cannot be
        // told from it, so it keeps 0.21's meaning, and the Windows backend says, on later releases,
        // that the type is gone and the section must be renamed xdp.
        def("xdp_test", ProgramType.XDP_TEST, null, Hook.NONE);
        // NETEVENT and PROCESS have no section here: ntosebpfext registers them, outside efW's source.
    }

    private EfwConventions() {
    }

    private static void def(String prefix, ProgramType type, AttachType eat, Hook hook) {
        DEFS.add(new Def(prefix, type, eat, hook));
    }

    /**
     * The convention a section name follows. efW takes the registered prefix the name starts
     * with, the longest when several do, with no separator required after it
     * (libs/api_common/windows_platform_common.cpp@v1.5.0:393-413).
     *
     * @param section the section's name
     * @return its meaning, or null when no known extension registers a prefix of it
     */
    static Sections.Convention of(String section) {
        Def best = null;
        for (Def d : DEFS) {
            if (section.startsWith(d.prefix()) && (best == null || d.prefix().length() > best.prefix().length())) best = d;
        }
        if (best == null) return null;
        String rest = section.substring(best.prefix().length());
        String target = rest.startsWith("/") ? rest.substring(1) : rest;
        return new Sections.Convention(best.type(), best.eat(), 0, best.hook(), target, null);
    }

    /** The known prefixes, for the message when a section follows none. */
    static String examples() {
        return String.join(", ", DEFS.stream().map(Def::prefix).toList());
    }

    /**
     * The portable map type of a Windows map type number (include/ebpf_structs.h@Release-v0.21.0:19-34,
     * @v1.5.0:19-36): only 1 to 3 are Linux's numbers.
     *
     * @param n the Windows {@code bpf_map_type}
     * @return the type, or null when bpf4j has none for it (0, 15 and unknown numbers)
     */
    static MapType mapType(int n) {
        return switch (n) {
            case 1 -> MapType.HASH;
            case 2 -> MapType.ARRAY;
            case 3 -> MapType.PROG_ARRAY;
            case 4 -> MapType.PERCPU_HASH;
            case 5 -> MapType.PERCPU_ARRAY;
            case 6 -> MapType.HASH_OF_MAPS;
            case 7 -> MapType.ARRAY_OF_MAPS;
            case 8 -> MapType.LRU_HASH;
            case 9 -> MapType.LPM_TRIE;
            case 10 -> MapType.QUEUE;
            case 11 -> MapType.LRU_PERCPU_HASH;
            case 12 -> MapType.STACK;
            case 13 -> MapType.RINGBUF;
            case 14 -> MapType.PERF_EVENT_ARRAY;   // 0.21.0 and later (@Release-v0.21.0:34)
            case 16 -> MapType.XSKMAP;             // 1.2.1 and later (@v1.2.1:36)
            default -> null;
        };
    }

    /** Why a map type number is not read. */
    static String unknownMapType(int n) {
        if (n == 15) {
            return "eBPF for Windows map type BPF_MAP_TYPE_SAMPLE_HASH_MAP (15, the test extension's;"
                    + " include/ebpf_structs.h@Release-v1.1.0:35) has no MapType in bpf4j";
        }
        return "unknown eBPF for Windows map type " + n + " (include/ebpf_structs.h@v1.5.0:19-36 ends at 16)";
    }

    /**
     * One record of the {@code maps} section.
     *
     * @param b the section's bytes
     * @param at the record's offset
     */
    static ObjectMap legacyMap(ElfFile elf, String section, String name, byte[] b, int at, long defSize) {
        int[] f = new int[DEF_SIZE / 4];
        for (int i = 0; i < f.length && 4L * i + 4 <= defSize; i++) f[i] = SpecReader.u32(b, at + 4 * i);
        MapType type = mapType(f[0]);
        if (type == null) throw elf.error(section, name, unknownMapType(f[0]));
        int pinning = f[5];
        if (pinning != 0 && pinning != PIN_BY_NAME) {
            throw elf.error(section, name, "pinning " + pinning + " is neither LIBBPF_PIN_NONE (0) nor LIBBPF_PIN_BY_NAME (1)"
                    + " (include/ebpf_structs.h@v1.5.0:95-99)");
        }
        // id and inner_id only name templates for maps of maps (resolveInnerMaps); efW reads no flags from the file.
        return new ObjectMap(name, SpecReader.kernelName(name), MapKind.LEGACY, type, f[1], f[2], f[3], 0, 0, 0,
                pinning == PIN_BY_NAME ? Pinning.BY_NAME : Pinning.NONE, null, section, null, 0, 0, null, null);
    }

    private static int field(byte[] b, int at, long defSize, int i) {
        return 4L * i + 4 <= defSize ? SpecReader.u32(b, at + 4 * i) : 0;
    }

    /**
     * Gives each legacy map of maps of one {@code maps} section its inner map template, found as
     * efW's loader finds it: with a non-zero {@code inner_id} (EBPF_ID_NONE is 0,
     * include/ebpf_structs.h@v1.5.0:107), the first definition whose {@code id} equals it; else the
     * definition at index {@code inner_map_idx}, the record at {@code inner_map_idx} times the
     * record size; anything else is a "bad inner map" (libs/api/windows_platform.cpp@v1.5.0:49-50,
     * :66-98). efW creates the template as a map of the object too (its outer map then takes the
     * template's handle: libs/api/ebpf_api.cpp@v1.5.0:2903-2929, :3661-3662); here the definition
     * stays a map of the object and a copy, unpinned, is the outer map's template.
     *
     * @param b the section's bytes
     * @param defSize the record size
     * @param byOffset the definitions' names by offset
     * @param maps the object's maps by name, updated in place
     */
    static void resolveInnerMaps(ElfFile elf, String section, byte[] b, long defSize, Map<Long, String> byOffset,
            Map<String, ObjectMap> maps) {
        Map<String, Long> offsets = new HashMap<>();
        for (Map.Entry<Long, String> e : byOffset.entrySet()) offsets.put(e.getValue(), e.getKey());
        Set<String> done = new HashSet<>();
        for (String name : byOffset.values()) resolve(elf, section, b, defSize, byOffset, offsets, maps, name, done, new HashSet<>());
    }

    private static void resolve(ElfFile elf, String section, byte[] b, long defSize, Map<Long, String> byOffset,
            Map<String, Long> offsets, Map<String, ObjectMap> maps, String name, Set<String> done, Set<String> visiting) {
        ObjectMap m = maps.get(name);
        if (done.contains(name) || (m.type() != MapType.ARRAY_OF_MAPS && m.type() != MapType.HASH_OF_MAPS)) return;
        if (!visiting.add(name)) {
            throw elf.error(section, name, "its inner map templates lead back to it (" + String.join(" -> ", visiting) + ")");
        }
        int at = (int) (long) offsets.get(name);
        int innerIdx = field(b, at, defSize, 4);
        int innerId = field(b, at, defSize, 7);
        String inner = null;
        if (innerId != 0) {
            for (Map.Entry<Long, String> e : byOffset.entrySet()) {
                if (field(b, (int) (long) e.getKey(), defSize, 6) == innerId) {
                    inner = e.getValue();
                    break;
                }
            }
            if (inner == null) {
                throw elf.error(section, name, "bad inner map: no definition in '" + section + "' has id " + innerId
                        + ", its inner_id (libs/api/windows_platform.cpp@v1.5.0:75-92)");
            }
        } else {
            inner = Integer.toUnsignedLong(innerIdx) * defSize <= Integer.MAX_VALUE
                    ? byOffset.get(Integer.toUnsignedLong(innerIdx) * defSize) : null;
            if (inner == null) {
                throw elf.error(section, name, "bad inner map: inner_map_idx " + Integer.toUnsignedString(innerIdx)
                        + " names no definition of the " + byOffset.size() + " in '" + section + "', and inner_id is 0"
                        + " (libs/api/windows_platform.cpp@v1.5.0:75-92)");
            }
        }
        if (inner.equals(name)) throw elf.error(section, name, "bad inner map: the definition is its own inner map");
        resolve(elf, section, b, defSize, byOffset, offsets, maps, inner, done, visiting);
        ObjectMap t = maps.get(inner);
        ObjectMap template = new ObjectMap(t.name(), t.kernelName(), t.kind(), t.type(), t.keySize(), t.valueSize(),
                t.maxEntries(), t.flags(), t.numaNode(), t.mapExtra(), Pinning.NONE, null, t.section(), null, 0, 0,
                t.innerMap(), null);
        maps.put(name, m.withInnerMap(template));
        visiting.remove(name);
        done.add(name);
    }

    /**
     * Refuses, before anything is made, what the {@code bpf()} path of eBPF for Windows cannot
     * take.
     *
     * @throws ObjectFormatException naming the program or section and the release facts
     */
    static void checkLoadable(ObjectSpec spec) {
        for (ObjectProgram p : spec.selectedPrograms()) {
            p.whyNotLoadable().ifPresent(why -> {
                throw new ObjectFormatException(spec.file(), p.section(), p.name(), "unsupported: " + why
                        + "; leave it out with withPrograms(...)");
            });
        }
        for (ObjectMap m : spec.maps()) {
            String what = switch (m.kind()) {
                case DATA, RODATA, BSS -> "global data";
                case KCONFIG -> ".kconfig externs";
                default -> null;
            };
            if (what == null) continue;
            throw new ObjectFormatException(spec.file(), m.section(), null, "unsupported on eBPF for Windows: " + what
                    + " ('" + m.section() + "') is read through a map value address (ld_imm64 with src 2), and the bpf()"
                    + " path of its JIT mode resolves only map descriptors (src 1) at every release"
                    + " (libs/api/ebpf_api.cpp@Release-v0.21.0:3264-3266, @v1.5.0:3780-3782); eBPF for Windows loads"
                    + " global data only from native images made by bpf2c (include/bpf2c.h@Release-v0.21.0:111-122)");
        }
        if (!spec.externs().ksyms().isEmpty()) {
            throw new ObjectFormatException(spec.file(), ".ksyms", null, "unsupported on eBPF for Windows: kernel symbols"
                    + " and kfuncs are resolved through Linux's kernel BTF, which Windows does not have");
        }
    }
}
