package io.bpf4j.linux.internal.uapi;

import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.ProgramInfo;
import java.nio.ByteBuffer;

/**
 * Layouts and decoders of {@code struct bpf_map_info}, {@code bpf_prog_info} and
 * {@code bpf_btf_info} (Linux 6.18 uapi, offsets checked with {@code offsetof} against the
 * kernel's BTF). {@code struct bpf_link_info} is in {@link LinkInfos}.
 *
 * <p>The caller zeroes the struct, may set the pointer fields named here to buffers it sized
 * itself, and calls {@code BPF_OBJ_GET_INFO_BY_FD}; the kernel fills at most the size given and
 * never writes through a null pointer.
 */
public final class Infos {
    /** {@code sizeof(struct bpf_map_info)}. */
    public static final int MAP_INFO_SIZE = 104;
    /** {@code sizeof(struct bpf_prog_info)}. */
    public static final int PROG_INFO_SIZE = 232;
    /** {@code sizeof(struct bpf_btf_info)}. */
    public static final int BTF_INFO_SIZE = 32;

    /** {@code bpf_prog_info.jited_prog_len} (in: room; out: the JIT image's size, whatever the room). */
    public static final int PROG_JITED_LEN = 16;
    /** {@code bpf_prog_info.xlated_prog_len} (in: room; out: the translated instructions' size). */
    public static final int PROG_XLATED_LEN = 20;
    /** {@code bpf_prog_info.jited_prog_insns}: address of room for the JIT image; zeroed when withheld. */
    public static final int PROG_JITED_INSNS = 24;
    /** {@code bpf_prog_info.xlated_prog_insns}: address of room for the instructions; zeroed when withheld. */
    public static final int PROG_XLATED_INSNS = 32;
    /** {@code bpf_prog_info.nr_map_ids} (in: room; out: how many the program uses). */
    public static final int PROG_NR_MAP_IDS = 52;
    /** {@code bpf_prog_info.map_ids}: address of u32 room. */
    public static final int PROG_MAP_IDS = 56;
    /** {@code bpf_btf_info.btf}: address of room for the raw BTF. */
    public static final int BTF_DATA = 0;
    /** {@code bpf_btf_info.btf_size} (in: room; out: the raw BTF's size, whatever the room). */
    public static final int BTF_SIZE = 8;
    /** {@code bpf_btf_info.name}: address of the name buffer. */
    public static final int BTF_NAME = 16;
    /** {@code bpf_btf_info.name_len} (in: room; out: length including NUL). */
    public static final int BTF_NAME_LEN = 24;

    private Infos() {
    }

    /**
     * Decodes a {@code struct bpf_map_info}.
     *
     * @param b the filled struct
     * @return the record
     */
    public static MapInfo map(ByteBuffer b) {
        int rawType = b.getInt(0);
        return new MapInfo(LinuxUapi.mapType(rawType), rawType, b.getInt(4), b.getInt(8), b.getInt(12),
                b.getInt(16), b.getInt(20), BpfAttr.getString(b, 24, 16), b.getInt(40), b.getInt(64),
                b.getInt(68), b.getInt(72), b.getLong(80));
    }

    /**
     * Decodes a {@code struct bpf_prog_info}.
     *
     * @param b the filled struct
     * @param mapIds the map ids the kernel copied to {@link #PROG_MAP_IDS}
     * @return the record
     */
    public static ProgramInfo program(ByteBuffer b, int[] mapIds) {
        int rawType = b.getInt(0);
        StringBuilder tag = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            int v = b.get(8 + i) & 0xff;
            tag.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 15, 16));
        }
        boolean gpl = (b.getInt(84) & 1) != 0; // the gpl_compatible:1 bitfield after ifindex
        return new ProgramInfo(LinuxUapi.programType(rawType), rawType, b.getInt(4), tag.toString(), b.getInt(16),
                b.getInt(20), b.getLong(40), b.getInt(48), mapIds, BpfAttr.getString(b, 64, 16), gpl,
                b.getInt(128), b.getLong(192), b.getLong(200), b.getInt(216), b.getInt(220), b.getInt(224));
    }

    /**
     * Decodes a {@code struct bpf_btf_info}.
     *
     * @param b the filled struct
     * @param name the name the kernel copied to {@link #BTF_NAME}
     * @return the record
     */
    public static BtfInfo btf(ByteBuffer b, String name) {
        return new BtfInfo(b.getInt(12), name == null ? "" : name, b.getInt(8), b.getInt(28) != 0);
    }
}
