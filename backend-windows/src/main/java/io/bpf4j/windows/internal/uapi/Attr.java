package io.bpf4j.windows.internal.uapi;

import java.nio.ByteBuffer;

/**
 * The {@code union bpf_attr} that eBPF for Windows' {@code bpf()} reads: Linux offsets and
 * command numbers (include/linux/bpf.h@Release-v0.21.0:59-82), but Windows type numbers. Each
 * command reads its own struct as an "extensible struct": a shorter attribute is zero-extended,
 * a longer one must be zero past the struct, else -EINVAL
 * (libs/api/bpf_syscall.cpp@Release-v0.21.0:37-52, thrown at :31 and caught at :375-377). The
 * backend always passes a zeroed {@link #SIZE}-byte buffer, which every release accepts whatever
 * the struct's size; only PROG_LOAD's struct grew (64 bytes at 0.21.x, 144 from 1.0.0-rc1).
 */
public final class Attr {
    /** The buffer size passed to {@code bpf()}: a whole Linux PROG_LOAD attribute. */
    public static final int SIZE = 144;

    // Command numbers: enum bpf_cmd_id, include/linux/bpf.h@Release-v0.21.0:59-82 (unchanged at v1.5.0).
    // Any other command is -EINVAL with GetLastError() 120: bpf_syscall.cpp@Release-v0.21.0:371-373.
    /** {@code BPF_MAP_CREATE}. */
    public static final int MAP_CREATE = 0;
    /** {@code BPF_MAP_LOOKUP_ELEM}. */
    public static final int MAP_LOOKUP_ELEM = 1;
    /** {@code BPF_MAP_UPDATE_ELEM}. */
    public static final int MAP_UPDATE_ELEM = 2;
    /** {@code BPF_MAP_DELETE_ELEM}. */
    public static final int MAP_DELETE_ELEM = 3;
    /** {@code BPF_MAP_GET_NEXT_KEY}. */
    public static final int MAP_GET_NEXT_KEY = 4;
    /** {@code BPF_PROG_LOAD}. */
    public static final int PROG_LOAD = 5;
    /** {@code BPF_OBJ_PIN}. */
    public static final int OBJ_PIN = 6;
    /** {@code BPF_OBJ_GET}. */
    public static final int OBJ_GET = 7;
    /** {@code BPF_PROG_ATTACH}. */
    public static final int PROG_ATTACH = 8;
    /** {@code BPF_PROG_DETACH}. */
    public static final int PROG_DETACH = 9;
    /** {@code BPF_PROG_TEST_RUN}. */
    public static final int PROG_TEST_RUN = 10;
    /** {@code BPF_PROG_GET_NEXT_ID}. */
    public static final int PROG_GET_NEXT_ID = 11;
    /** {@code BPF_MAP_GET_NEXT_ID}. */
    public static final int MAP_GET_NEXT_ID = 12;
    /** {@code BPF_PROG_GET_FD_BY_ID}. */
    public static final int PROG_GET_FD_BY_ID = 13;
    /** {@code BPF_MAP_GET_FD_BY_ID}. */
    public static final int MAP_GET_FD_BY_ID = 14;
    /** {@code BPF_OBJ_GET_INFO_BY_FD}. */
    public static final int OBJ_GET_INFO_BY_FD = 15;
    /** {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}. */
    public static final int MAP_LOOKUP_AND_DELETE_ELEM = 21;
    /** {@code BPF_LINK_GET_FD_BY_ID}. */
    public static final int LINK_GET_FD_BY_ID = 30;
    /** {@code BPF_LINK_GET_NEXT_ID}. */
    public static final int LINK_GET_NEXT_ID = 31;
    /** {@code BPF_LINK_DETACH}. */
    public static final int LINK_DETACH = 34;
    /** {@code BPF_PROG_BIND_MAP}. */
    public static final int PROG_BIND_MAP = 35;

    // View sizes: the size of each command's struct in include/linux/bpf.h (the sys_bpf_*_attr_t
    // typedefs), as bpf_syscall.cpp instantiates ExtensibleStruct with them.
    /** MAP_CREATE: sys_bpf_map_create_attr_t, include/linux/bpf.h@Release-v0.21.0:91-102. */
    public static final int VIEW_MAP_CREATE = 48;
    /** LOOKUP / UPDATE / LOOKUP_AND_DELETE: sys_bpf_map_lookup_attr_t, @Release-v0.21.0:104-111. */
    public static final int VIEW_ELEM = 32;
    /** DELETE: sys_bpf_map_delete_attr_t, include/linux/bpf.h@Release-v0.21.0:113-118. */
    public static final int VIEW_DELETE = 16;
    /** GET_NEXT_KEY: sys_bpf_map_next_key_attr_t, include/linux/bpf.h@Release-v0.21.0:120-126. */
    public static final int VIEW_NEXT_KEY = 24;
    /** PROG_LOAD at 0.21.x: up to {@code prog_name}, include/linux/bpf.h@Release-v0.21.0:134-146. */
    public static final int VIEW_PROG_LOAD_0_21 = 64;
    /** PROG_LOAD from 1.0.0-rc1: up to {@code log_true_size}, include/linux/bpf.h@Release-v1.0.0-rc1:134-168. */
    public static final int VIEW_PROG_LOAD = 144;
    /** OBJ_PIN / OBJ_GET: sys_bpf_obj_pin_attr_t, include/linux/bpf.h@Release-v0.21.0:176-181. */
    public static final int VIEW_OBJ = 16;
    /** PROG_ATTACH / PROG_DETACH: sys_bpf_prog_attach_attr_t, @Release-v0.21.0:148-154. */
    public static final int VIEW_ATTACH = 16;
    /** PROG_TEST_RUN: sys_bpf_prog_run_attr_t, include/linux/bpf.h@Release-v0.21.0:156-174. */
    public static final int VIEW_TEST_RUN = 80;
    /** *_GET_NEXT_ID: sys_bpf_map_next_id_attr_t, include/linux/bpf.h@Release-v0.21.0:128-132. */
    public static final int VIEW_NEXT_ID = 8;
    /** *_GET_FD_BY_ID: a bare uint32_t, libs/api/bpf_syscall.cpp@Release-v0.21.0:185, :219, :299. */
    public static final int VIEW_FD_BY_ID = 4;
    /** OBJ_GET_INFO_BY_FD: sys_bpf_obj_info_attr_t, include/linux/bpf.h@Release-v0.21.0:184-193. */
    public static final int VIEW_INFO = 16;
    /** LINK_DETACH: sys_bpf_link_detach_attr_t, include/linux/bpf.h@Release-v0.21.0:230-233. */
    public static final int VIEW_LINK_DETACH = 4;
    /** PROG_BIND_MAP: sys_bpf_prog_bind_map_attr_t, include/linux/bpf.h@Release-v0.21.0:236-241. */
    public static final int VIEW_BIND_MAP = 12;

    // MAP_CREATE
    static final int MAP_TYPE = 0;
    static final int KEY_SIZE = 4;
    static final int VALUE_SIZE = 8;
    static final int MAX_ENTRIES = 12;
    static final int MAP_FLAGS = 16;
    static final int INNER_MAP_FD = 20;
    static final int MAP_NAME = 28;

    // element commands
    static final int ELEM_FD = 0;
    static final int ELEM_KEY = 8;
    static final int ELEM_VALUE = 16;
    static final int ELEM_FLAGS = 24;

    // PROG_LOAD
    static final int PROG_TYPE = 0;
    static final int INSN_CNT = 4;
    static final int INSNS = 8;
    static final int LICENSE = 16;
    static final int LOG_LEVEL = 24;
    static final int LOG_SIZE = 28;
    static final int LOG_BUF = 32;
    static final int PROG_NAME = 48;
    /**
     * PROG_LOAD's {@code log_true_size}, written back on return from 1.0.0-rc1
     * (libs/api/bpf_syscall.cpp@v1.5.0:358, include/linux/bpf.h@v1.5.0:167); at 0.21.x it lies
     * past the struct, so it must be zero on input and is never written.
     */
    public static final int LOG_TRUE_SIZE = 140;

    // OBJ_PIN / OBJ_GET
    static final int PATHNAME = 0;
    static final int BPF_FD = 8;

    // PROG_ATTACH / DETACH
    static final int TARGET_FD = 0;
    static final int ATTACH_BPF_FD = 4;
    static final int ATTACH_TYPE = 8;

    // *_GET_NEXT_ID / *_GET_FD_BY_ID
    static final int START_ID = 0;
    /** Where {@code next_id} is written back. */
    public static final int NEXT_ID = 4;

    // LINK_DETACH / PROG_BIND_MAP
    static final int BIND_PROG_FD = 0;
    static final int BIND_MAP_FD = 4;

    private Attr() {
    }

    /**
     * Zeroes the buffer: Windows rejects non-zero bytes past a view and reads stale fields.
     *
     * @param a a buffer of at least {@link #SIZE} bytes
     */
    public static void clear(ByteBuffer a) {
        for (int i = 0; i < SIZE; i += 8) a.putLong(i, 0L);
    }

    /**
     * {@code BPF_MAP_CREATE}. Windows needs {@code map_flags}, {@code numa_node} and
     * {@code map_ifindex} zero, and everything from offset 48 on zero, so only these are written.
     *
     * @param a the zeroed buffer
     * @param winType the Windows map type
     * @param keySize key size
     * @param valueSize value size
     * @param maxEntries capacity
     * @param innerMapFd the inner map template, or 0
     * @param name at most 15 ASCII characters
     */
    public static void mapCreate(ByteBuffer a, int winType, int keySize, int valueSize, int maxEntries,
            int innerMapFd, String name) {
        a.putInt(MAP_TYPE, winType);
        a.putInt(KEY_SIZE, keySize);
        a.putInt(VALUE_SIZE, valueSize);
        a.putInt(MAX_ENTRIES, maxEntries);
        a.putInt(MAP_FLAGS, 0);
        a.putInt(INNER_MAP_FD, innerMapFd);
        putName(a, MAP_NAME, name);
    }

    /**
     * The element commands and get-next-key ({@code value} is then {@code next_key}).
     *
     * @param a the zeroed buffer
     * @param fd the map
     * @param key address of the key, or 0
     * @param value address of the value, or 0
     * @param flags element flags
     */
    public static void elem(ByteBuffer a, int fd, long key, long value, long flags) {
        a.putInt(ELEM_FD, fd);
        a.putLong(ELEM_KEY, key);
        a.putLong(ELEM_VALUE, value);
        a.putLong(ELEM_FLAGS, flags);
    }

    /**
     * {@code BPF_PROG_LOAD}. Offsets 64 to 139 (expected attach type, BTF, fd array ...) stay
     * zero, as every release requires: past the struct at 0.21.x, checked by {@code check_zero}
     * from 1.0.0-rc1 (libs/api/bpf_syscall.cpp@v1.5.0:310-313). At 0.21.x {@code log_level} is
     * not read at all (bpf_syscall.cpp@Release-v0.21.0:313-317); from 1.0.0-rc1 it must be at most
     * 1 and non-zero exactly when {@code log_buf} is (bpf_syscall.cpp@v1.5.0:319-328).
     *
     * @param a the zeroed buffer
     * @param winType the Windows program type
     * @param insns address of the instructions
     * @param insnCnt how many
     * @param license address of the license string
     * @param logLevel 0 or 1
     * @param logBuf address of the log buffer, 0 exactly when {@code logLevel} is 0
     * @param logSize its size
     * @param name at most 15 ASCII characters
     */
    public static void progLoad(ByteBuffer a, int winType, long insns, int insnCnt, long license, int logLevel,
            long logBuf, int logSize, String name) {
        a.putInt(PROG_TYPE, winType);
        a.putInt(INSN_CNT, insnCnt);
        a.putLong(INSNS, insns);
        a.putLong(LICENSE, license);
        a.putInt(LOG_LEVEL, logLevel);
        a.putInt(LOG_SIZE, logSize);
        a.putLong(LOG_BUF, logBuf);
        putName(a, PROG_NAME, name);
    }

    /**
     * {@code BPF_OBJ_PIN} and {@code BPF_OBJ_GET} ({@code bpf_fd} 0 and {@code file_flags} 0 for get).
     *
     * @param a the zeroed buffer
     * @param path address of the NUL-terminated path
     * @param fd the object to pin, or 0
     */
    public static void obj(ByteBuffer a, long path, int fd) {
        a.putLong(PATHNAME, path);
        a.putInt(BPF_FD, fd);
    }

    /**
     * {@code BPF_PROG_ATTACH} / {@code BPF_PROG_DETACH}: {@code target_fd} is a compartment id.
     *
     * @param a the zeroed buffer
     * @param compartment the compartment id, 0 for all
     * @param progFd the program
     * @param winAttachType the Windows attach type
     */
    public static void attach(ByteBuffer a, int compartment, int progFd, int winAttachType) {
        a.putInt(TARGET_FD, compartment);
        a.putInt(ATTACH_BPF_FD, progFd);
        a.putInt(ATTACH_TYPE, winAttachType);
    }

    /**
     * {@code *_GET_NEXT_ID} and {@code *_GET_FD_BY_ID}: the id is the first field of both.
     *
     * @param a the zeroed buffer
     * @param id the start id or the id
     */
    public static void id(ByteBuffer a, int id) {
        a.putInt(START_ID, id);
    }

    /**
     * {@code BPF_LINK_DETACH} ({@code mapFd} 0) and {@code BPF_PROG_BIND_MAP}.
     *
     * @param a the zeroed buffer
     * @param fd the link or program
     * @param mapFd the map, or 0
     */
    public static void fdPair(ByteBuffer a, int fd, int mapFd) {
        a.putInt(BIND_PROG_FD, fd);
        a.putInt(BIND_MAP_FD, mapFd);
    }

    /**
     * Writes a {@code char[16]} name, NUL-padded.
     *
     * @param a the buffer
     * @param off the field
     * @param name at most 15 ASCII characters
     */
    static void putName(ByteBuffer a, int off, String name) {
        for (int i = 0; i < 16; i++) a.put(off + i, (byte) 0);
        if (name == null) return;
        for (int i = 0; i < Math.min(15, name.length()); i++) a.put(off + i, (byte) name.charAt(i));
    }
}
