package io.bpf4j.sim.internal.kernel;

import io.bpf4j.api.Errno;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The simulated process's descriptor table. Like the kernel's, it hands out the lowest free
 * number; 0, 1 and 2 are taken by the standard streams, so the first descriptor is 3.
 */
public final class FdTable {
    /** Open for reading ({@code FMODE_CAN_READ}). */
    public static final int READ = 1;
    /** Open for writing ({@code FMODE_CAN_WRITE}). */
    public static final int WRITE = 2;
    /** Both. */
    public static final int RDWR = READ | WRITE;

    /**
     * One open descriptor.
     *
     * @param obj the object
     * @param mode the file mode, {@link #READ} and/or {@link #WRITE}
     */
    public record Entry(KObject obj, int mode) {
    }

    private static final int FIRST = 3;

    /**
     * Descriptors 0 to 2 are the process's standard streams: open, but not BPF objects, so the
     * kernel answers EINVAL (not EBADF) when they are passed as a map or program.
     */
    private static final Entry STDIO = new Entry(new KObject(ObjKind.OTHER) {
        @Override
        protected void destroy() {
        }

        @Override
        protected Kernel kernel() {
            return null;
        }

        @Override
        public String describe() {
            return "a standard stream";
        }
    }, RDWR);
    private final BitSet used = new BitSet();
    /** Entries by descriptor number: a plain array, since every command looks one up. */
    private Entry[] entries = new Entry[64];
    private int size;

    /** Creates a table with only the standard streams. */
    public FdTable() {
    }

    /**
     * Opens a descriptor on an object, taking a user reference.
     *
     * @param obj the object
     * @param mode {@link #READ}, {@link #WRITE} or both
     * @return the descriptor
     */
    public int open(KObject obj, int mode) {
        int fd = used.nextClearBit(FIRST);
        if (fd >= entries.length) entries = Arrays.copyOf(entries, Math.max(fd + 1, entries.length * 2));
        obj.holdUser();
        used.set(fd);
        entries[fd] = new Entry(obj, mode);
        size++;
        return fd;
    }

    /**
     * Closes a descriptor, dropping its reference.
     *
     * @param fd the descriptor
     * @throws KErr EBADF if it is not open
     */
    public void close(int fd) {
        Entry e = find(fd);
        if (e == null || e == STDIO) throw KErr.of(Errno.EBADF);
        entries[fd] = null;
        size--;
        used.clear(fd);
        e.obj().putUser();
    }

    /**
     * The entry of an open descriptor.
     *
     * @param fd the descriptor
     * @return the entry
     * @throws KErr EBADF if it is not open
     */
    public Entry get(int fd) {
        Entry e = find(fd);
        if (e == null) throw KErr.of(Errno.EBADF);
        return e;
    }

    /**
     * The entry of a descriptor, or null when it is not open.
     *
     * @param fd the descriptor
     * @return the entry or null
     */
    public Entry find(int fd) {
        if (fd >= 0 && fd < FIRST) return STDIO;
        return fd >= 0 && fd < entries.length ? entries[fd] : null;
    }

    /**
     * How many descriptors are open, for leak checks.
     *
     * @return the count
     */
    public int size() {
        return size;
    }
}
