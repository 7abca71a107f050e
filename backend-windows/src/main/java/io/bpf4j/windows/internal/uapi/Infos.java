package io.bpf4j.windows.internal.uapi;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.ProgramInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The Windows info structs of {@code include/ebpf_structs.h}: {@code bpf_link_info} at
 * ebpf_structs.h@Release-v0.21.0:382 and @v1.5.0:415, {@code bpf_map_info} at :413 and :446,
 * {@code bpf_prog_info} at :437 and :470, the same fields at both (x64 offsets follow from
 * them), as {@code bpf_obj_get_info_by_fd} and {@code ebpf_object_get_info_by_fd} fill them,
 * decoded into the records the Linux backend returns. Names hold up to 63 characters
 * ({@code BPF_OBJ_NAME_LEN} is 64, @v1.5.0:440); map {@code id} and {@code type} sit in the
 * opposite order to Linux. The kernel copies as much of the struct as fits and reports the
 * size it wrote (libs/execution_context/ebpf_program.c@v1.5.0:3086-3088,
 * ebpf_link.c@v1.5.0:601-604); an empty buffer is EINVAL
 * (libs/api_common/api_common.cpp@v1.5.0:95-97, @Release-v0.21.0:66-68).
 */
public final class Infos {
    /** {@code BPF_OBJ_NAME_LEN} on Windows. */
    public static final int NAME_LEN = 64;

    /** {@code sizeof(struct bpf_map_info)}. */
    public static final int MAP_SIZE = 96;
    /** {@code bpf_map_info.id}. */
    public static final int MAP_ID = 0;
    /** {@code bpf_map_info.type}. */
    public static final int MAP_TYPE = 4;
    /** {@code bpf_map_info.key_size}. */
    public static final int MAP_KEY_SIZE = 8;
    /** {@code bpf_map_info.value_size}. */
    public static final int MAP_VALUE_SIZE = 12;
    /** {@code bpf_map_info.max_entries}. */
    public static final int MAP_MAX_ENTRIES = 16;
    /** {@code bpf_map_info.name}. */
    public static final int MAP_NAME = 20;
    /** {@code bpf_map_info.map_flags}. */
    public static final int MAP_FLAGS = 84;
    /** {@code bpf_map_info.inner_map_id}. */
    public static final int MAP_INNER_MAP_ID = 88;
    /** {@code bpf_map_info.pinned_path_count}. */
    public static final int MAP_PINNED_PATH_COUNT = 92;

    /** {@code sizeof(struct bpf_prog_info)}. */
    public static final int PROG_SIZE = 128;
    /** {@code bpf_prog_info.id}. */
    public static final int PROG_ID = 0;
    /** {@code bpf_prog_info.type}. */
    public static final int PROG_TYPE = 4;
    /** {@code bpf_prog_info.nr_map_ids}: capacity in, count out. */
    public static final int PROG_NR_MAP_IDS = 8;
    /** {@code bpf_prog_info.map_ids}: a pointer to {@code u32[nr_map_ids]}. */
    public static final int PROG_MAP_IDS = 16;
    /** {@code bpf_prog_info.name}. */
    public static final int PROG_NAME = 24;
    /** {@code bpf_prog_info.type_uuid}. */
    public static final int PROG_TYPE_UUID = 88;
    /** {@code bpf_prog_info.attach_type_uuid}. */
    public static final int PROG_ATTACH_TYPE_UUID = 104;
    /** {@code bpf_prog_info.pinned_path_count}. */
    public static final int PROG_PINNED_PATH_COUNT = 120;
    /** {@code bpf_prog_info.link_count}. */
    public static final int PROG_LINK_COUNT = 124;
    /**
     * The smallest program-info buffer Windows accepts: {@code offsetof(bpf_prog_info, name)},
     * else EINVAL (libs/execution_context/ebpf_program.c@v1.5.0:2965-2973). A {@code map_ids}
     * array smaller than the program's map count fails with EBPF_INVALID_POINTER (EFAULT) after
     * the ids that fit are written (@v1.5.0:3046-3049; @Release-v0.21.0 in the copy loop).
     */
    public static final int PROG_MIN_SIZE = 24;

    /** {@code sizeof(struct bpf_link_info)}. */
    public static final int LINK_SIZE = 56;
    /** {@code bpf_link_info.id}. */
    public static final int LINK_ID = 0;
    /** {@code bpf_link_info.prog_id}. */
    public static final int LINK_PROG_ID = 4;
    /** {@code bpf_link_info.type}. */
    public static final int LINK_TYPE = 8;
    /** {@code bpf_link_info.attach_type}. */
    public static final int LINK_ATTACH_TYPE = 12;
    /** {@code bpf_link_info.attach_type_uuid}. */
    public static final int LINK_ATTACH_TYPE_UUID = 16;
    /** {@code bpf_link_info.program_type_uuid}. */
    public static final int LINK_PROGRAM_TYPE_UUID = 32;
    /**
     * {@code bpf_link_info.xdp.ifindex} / {@code cgroup.cgroup_id}: a union that holds the attach
     * parameters the link was made with, when there were any (ebpf_link.c@v1.5.0:595-599); for
     * the sock_addr and sock_ops hooks that is the compartment id, 0 when none was given.
     */
    public static final int LINK_TARGET = 48;

    /** The largest of the three, for one scratch buffer. */
    public static final int MAX_SIZE = PROG_SIZE;

    private Infos() {
    }

    /**
     * Decodes {@code struct bpf_map_info}. Windows has no BTF or map_extra, so those are 0.
     *
     * @param b the struct, little-endian
     * @return the info
     */
    public static MapInfo map(ByteBuffer b) {
        int raw = b.getInt(MAP_TYPE);
        return new MapInfo(WinTypes.mapType(raw), raw, b.getInt(MAP_ID), b.getInt(MAP_KEY_SIZE),
                b.getInt(MAP_VALUE_SIZE), b.getInt(MAP_MAX_ENTRIES), b.getInt(MAP_FLAGS),
                name(b, MAP_NAME), 0, 0, 0, 0, 0L);
    }

    /**
     * Decodes {@code struct bpf_prog_info}. Windows reports no tag, sizes, load time, uid, BTF
     * or run statistics: those are empty or 0.
     *
     * @param b the struct
     * @param mapIds the ids the second call filled in
     * @return the info
     */
    public static ProgramInfo program(ByteBuffer b, int[] mapIds) {
        int raw = b.getInt(PROG_TYPE);
        return new ProgramInfo(WinTypes.programType(raw), raw, b.getInt(PROG_ID), "", 0, 0, 0L, 0, mapIds,
                name(b, PROG_NAME), false, 0, 0L, 0L, 0, 0, 0);
    }

    /**
     * The program-type GUID of a program info.
     *
     * @param b the struct
     * @return the GUID
     */
    public static UUID programTypeUuid(ByteBuffer b) {
        return Guids.get(b, PROG_TYPE_UUID);
    }

    /**
     * Decodes {@code struct bpf_link_info}: XDP links carry the interface, cgroup links the
     * cgroup id and hook.
     *
     * @param b the struct
     * @return the info
     */
    public static LinkInfo link(ByteBuffer b) {
        int raw = b.getInt(LINK_TYPE);
        LinkType type = WinTypes.linkType(raw);
        AttachType attach = WinTypes.attachType(b.getInt(LINK_ATTACH_TYPE));
        LinkDetails details = switch (type) {
            case XDP -> new LinkDetails.Xdp(b.getInt(LINK_TARGET));
            case CGROUP -> new LinkDetails.Cgroup(b.getLong(LINK_TARGET), attach);
            default -> LinkDetails.None.INSTANCE;
        };
        return new LinkInfo(type, raw, b.getInt(LINK_ID), b.getInt(LINK_PROG_ID), details);
    }

    /**
     * Reads a NUL-terminated {@code char[64]}.
     *
     * @param b the struct
     * @param off the field
     * @return the name
     */
    static String name(ByteBuffer b, int off) {
        int n = 0;
        while (n < NAME_LEN && b.get(off + n) != 0) n++;
        byte[] s = new byte[n];
        for (int i = 0; i < n; i++) s[i] = b.get(off + i);
        return new String(s, StandardCharsets.UTF_8);
    }
}
