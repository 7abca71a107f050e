package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import java.util.Arrays;

/**
 * Queue and stack maps ({@code kernel/bpf/queue_stack_maps.c}): a ring of
 * {@code max_entries + 1} slots with head and tail, exactly as the kernel keeps it, so a full
 * push with {@code BPF_EXIST} drops the oldest element for both kinds.
 */
public final class QueueStack extends SimMap {
    private final byte[][] elements;
    private final int size;
    private final boolean stack;
    private int head;
    private int tail;

    /**
     * Creates the map.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     */
    public QueueStack(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        this.stack = spec.type() == MapType.STACK;
        this.size = spec.maxEntries() + 1;
        this.elements = new byte[Math.min(size, 1 << 20)][];
    }

    /**
     * Checks the attributes as {@code queue_stack_map_alloc_check()} does.
     *
     * @param s the attributes
     */
    static void check(MapSpec s) {
        int mask = MapFlags.NUMA_NODE | MapFactory.ACCESS_MASK;
        if (s.maxEntries() == 0 || s.keySize() != 0 || s.valueSize() == 0 || (s.flags() & ~mask) != 0
                || !MapFactory.accessOk(s.flags())) {
            throw KErr.of(Errno.EINVAL, "queue/stack attributes");
        }
        // If value_size is bigger, user space could not access the elements.
        if (s.valueSize() > MapFactory.KMALLOC_MAX_SIZE) throw KErr.of(Errno.E2BIG, "value too large");
        if (s.maxEntries() >= (1 << 20)) throw KErr.of(Errno.ENOMEM, "the simulator keeps queues below 2^20 entries");
    }

    private boolean empty() {
        return head == tail;
    }

    private boolean full() {
        int h = head + 1;
        if (h >= size) h = 0;
        return h == tail;
    }

    /** {@code __queue_map_get} / {@code __stack_map_get}: 0 or -ENOENT (with the output zeroed). */
    private int get(byte[] out, boolean delete) {
        if (empty()) {
            Arrays.fill(out, 0, valueSize, (byte) 0);
            return -Errno.ENOENT.linux();
        }
        if (!stack) {
            System.arraycopy(elements[tail], 0, out, 0, valueSize);
            if (delete && ++tail >= size) tail = 0;
            return 0;
        }
        int index = head - 1;
        if (index < 0) index = size - 1;
        System.arraycopy(elements[index], 0, out, 0, valueSize);
        if (delete) head = index;
        return 0;
    }

    @Override
    public int push(byte[] value, long flags) {
        // queue_stack_map_push_elem() compares the u64 flags: bit 63 is EINVAL too.
        if ((flags & NOEXIST) != 0 || Long.compareUnsigned(flags, EXIST) > 0) return -Errno.EINVAL.linux();
        if (full()) {
            if ((flags & EXIST) == 0) return -Errno.E2BIG.linux();
            // Advance the tail to overwrite the oldest element.
            if (++tail >= size) tail = 0;
        }
        if (elements[head] == null) elements[head] = new byte[valueSize];
        System.arraycopy(value, 0, elements[head], 0, valueSize);
        if (++head >= size) head = 0;
        return 0;
    }

    @Override
    public int pop(byte[] out) {
        return get(out, true);
    }

    @Override
    public int peek(byte[] out) {
        return get(out, false);
    }

    @Override
    public void sysLookup(byte[] key, byte[] out) {
        check(peek(out));
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        check(push(value, flags));
    }

    @Override
    public void sysDelete(byte[] key) {
        // queue_stack_map_delete_elem() returns -EINVAL.
        throw KErr.of(Errno.EINVAL, "use lookup-and-delete (pop)");
    }

    @Override
    public void sysNextKey(byte[] key, byte[] next) {
        // queue_stack_map_get_next_key() returns -EINVAL.
        throw KErr.of(Errno.EINVAL, "queues and stacks have no keys");
    }

    @Override
    public void sysLookupAndDelete(byte[] key, byte[] out, long flags) {
        check(pop(out));
    }
}
