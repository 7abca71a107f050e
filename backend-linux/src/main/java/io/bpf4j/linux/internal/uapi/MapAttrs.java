package io.bpf4j.linux.internal.uapi;

import io.bpf4j.api.MapSpec;
import java.nio.ByteBuffer;

/**
 * Encoders of the map commands' part of {@code union bpf_attr} (Linux 6.18 uapi):
 * {@code BPF_MAP_CREATE}, the element commands and the batch commands.
 */
public final class MapAttrs {
    // BPF_MAP_CREATE (Linux 6.18 uapi, anonymous struct #1)
    static final int MAP_TYPE = 0;
    static final int KEY_SIZE = 4;
    static final int VALUE_SIZE = 8;
    static final int MAX_ENTRIES = 12;
    static final int MAP_FLAGS = 16;
    static final int INNER_MAP_FD = 20;
    static final int NUMA_NODE = 24;
    static final int MAP_NAME = 28;
    static final int MAP_IFINDEX = 44;
    static final int BTF_FD = 48;
    static final int BTF_KEY_TYPE_ID = 52;
    static final int BTF_VALUE_TYPE_ID = 56;
    static final int BTF_VMLINUX_VALUE_TYPE_ID = 60;
    static final int MAP_EXTRA = 64;
    static final int VALUE_TYPE_BTF_OBJ_FD = 72;
    static final int MAP_TOKEN_FD = 76;

    // BPF_MAP_*_ELEM, BPF_MAP_GET_NEXT_KEY, BPF_MAP_FREEZE (Linux 6.18 uapi, struct #2)
    static final int ELEM_MAP_FD = 0;
    static final int ELEM_KEY = 8;
    static final int ELEM_VALUE = 16; // also next_key
    static final int ELEM_FLAGS = 24;
    /**
     * {@code offsetofend(union bpf_attr, flags)} of the element commands: they need no more, and
     * passing (and zeroing) only this much is what libbpf does and saves the kernel and the
     * caller work on the hottest calls.
     */
    public static final int ELEM_SIZE = 32;

    // BPF_MAP_*_BATCH (Linux 6.18 uapi, struct batch)
    static final int BATCH_IN = 0;
    static final int BATCH_OUT = 8;
    static final int BATCH_KEYS = 16;
    static final int BATCH_VALUES = 24;
    /** Offset of {@code batch.count}: in-out, the kernel writes back how many it processed. */
    public static final int BATCH_COUNT = 32;
    static final int BATCH_MAP_FD = 36;
    static final int BATCH_ELEM_FLAGS = 40;
    static final int BATCH_FLAGS = 48;

    private MapAttrs() {
    }

    /**
     * {@code BPF_MAP_CREATE}: every {@link MapSpec} attribute. With
     * {@link io.bpf4j.api.MapFlags#VTYPE_BTF_OBJ_FD} the spec's {@code btfFd} also names the
     * module BTF of the value type, as libbpf does.
     *
     * @param attr the zeroed attribute buffer
     * @param spec the map
     */
    public static void create(ByteBuffer attr, MapSpec spec) {
        attr.putInt(MAP_TYPE, LinuxUapi.mapType(spec.type()));
        attr.putInt(KEY_SIZE, spec.keySize());
        attr.putInt(VALUE_SIZE, spec.valueSize());
        attr.putInt(MAX_ENTRIES, spec.maxEntries());
        attr.putInt(MAP_FLAGS, spec.flags());
        attr.putInt(INNER_MAP_FD, spec.innerMapFd());
        attr.putInt(NUMA_NODE, spec.numaNode());
        BpfAttr.putName(attr, MAP_NAME, spec.name());
        attr.putInt(MAP_IFINDEX, spec.ifindex());
        attr.putInt(BTF_FD, spec.btfFd());
        attr.putInt(BTF_KEY_TYPE_ID, spec.btfKeyTypeId());
        attr.putInt(BTF_VALUE_TYPE_ID, spec.btfValueTypeId());
        attr.putInt(BTF_VMLINUX_VALUE_TYPE_ID, spec.btfVmlinuxValueTypeId());
        attr.putLong(MAP_EXTRA, spec.mapExtra());
        if ((spec.flags() & io.bpf4j.api.MapFlags.VTYPE_BTF_OBJ_FD) != 0) attr.putInt(VALUE_TYPE_BTF_OBJ_FD, spec.btfFd());
        attr.putInt(MAP_TOKEN_FD, spec.tokenFd());
    }

    /**
     * The element commands: lookup, update, delete, get-next-key (value is then next_key),
     * lookup-and-delete, freeze (only the fd).
     *
     * @param attr the zeroed attribute buffer
     * @param mapFd the map
     * @param key address of the key, or 0
     * @param value address of the value (or next key), or 0
     * @param flags element flags
     */
    public static void elem(ByteBuffer attr, int mapFd, long key, long value, long flags) {
        attr.putInt(ELEM_MAP_FD, mapFd);
        attr.putLong(ELEM_KEY, key);
        attr.putLong(ELEM_VALUE, value);
        attr.putLong(ELEM_FLAGS, flags);
    }

    /**
     * The element commands, writing every one of the {@link #ELEM_SIZE} bytes (the padding after
     * {@code map_fd} as zero), so the buffer need not be zeroed first.
     *
     * @param attr the attribute buffer, in any state
     * @param mapFd the map
     * @param key address of the key, or 0
     * @param value address of the value (or next key), or 0
     * @param flags element flags
     */
    public static void elemWhole(ByteBuffer attr, int mapFd, long key, long value, long flags) {
        attr.putLong(ELEM_MAP_FD, mapFd & 0xffff_ffffL);
        attr.putLong(ELEM_KEY, key);
        attr.putLong(ELEM_VALUE, value);
        attr.putLong(ELEM_FLAGS, flags);
    }

    /**
     * The batch commands.
     *
     * @param attr the zeroed attribute buffer
     * @param mapFd the map
     * @param inBatch address of the input cursor, or 0 to start
     * @param outBatch address of the output cursor, or 0
     * @param keys address of the keys
     * @param values address of the values, or 0 (delete batch)
     * @param count elements at most
     * @param elemFlags element flags
     * @param flags command flags
     */
    public static void batch(ByteBuffer attr, int mapFd, long inBatch, long outBatch, long keys, long values,
            int count, long elemFlags, long flags) {
        attr.putLong(BATCH_IN, inBatch);
        attr.putLong(BATCH_OUT, outBatch);
        attr.putLong(BATCH_KEYS, keys);
        attr.putLong(BATCH_VALUES, values);
        attr.putInt(BATCH_COUNT, count);
        attr.putInt(BATCH_MAP_FD, mapFd);
        attr.putLong(BATCH_ELEM_FLAGS, elemFlags);
        attr.putLong(BATCH_FLAGS, flags);
    }
}
