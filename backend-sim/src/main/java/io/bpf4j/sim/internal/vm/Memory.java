package io.bpf4j.sim.internal.vm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The memory a program run can reach: a table of regions (stack frames, context, packet, map
 * values, ring buffer records, and zero-length entries standing for maps), each a slice of a
 * Java array.
 *
 * <p>A pointer is {@code tag << 48 | region id << 32 | offset}: the upper half names the
 * region, the lower half is the offset, so pointer arithmetic works as in the kernel. The 16-bit
 * tag (high bit set) is drawn afresh for every region of every run and checked on every access,
 * together with the bounds of the whole access; so a program can never touch anything but the
 * arrays it was given, a pointer cannot be carried into another region by adding multiples of
 * 2^32, and a pointer kept from an earlier run stops working. Reads and writes are little-endian.
 * Small integers and NULL are never valid pointers.
 */
final class Memory {
    /** The kernel's stack frame size, {@code MAX_BPF_STACK}. */
    static final int FRAME_SIZE = 512;
    /** The kernel's {@code MAX_CALL_FRAMES}: the main program and seven nested calls. */
    static final int MAX_FRAMES = 8;
    /** Regions that live as long as the {@code Vm}: id 0 (unused) and the stack frames. */
    static final int FIXED = 1 + MAX_FRAMES;
    static final int MAX_REGIONS = 0xffff;
    /** Region slots below this keep their array from run to run (a few, so the memory kept is small). */
    private static final int KEEP = FIXED + 8;

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A memory access the program may not make; the interpreter adds the instruction. */
    static final class Fault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fault(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What every access checks, four ints per region side by side (one bounds check and one
     * cache line where four arrays took four): {@link #HI} the upper half of pointers into the
     * region (tag and id), {@link #START} where the region starts in its array, {@link #LEN} the
     * readable length (0 for maps, invalidated regions and contexts with virtual fields),
     * {@link #WLEN} the writable length (0 when read-only or when every store must take the slow
     * path).
     */
    int[] meta = new int[64 * 4];
    static final int HI = 0;
    static final int START = 1;
    static final int LEN = 2;
    static final int WLEN = 3;
    byte[][] arr = new byte[64][];
    /** The true length, for messages and slow paths. */
    int[] size = new int[64];
    boolean[] writable = new boolean[64];
    String[] what = new String[64];
    VmMap[] map = new VmMap[64];
    PacketContext[] ctx = new PacketContext[64];
    int count;
    private int generation;
    private int genMix = mix(0);

    final byte[] stack = new byte[MAX_FRAMES * FRAME_SIZE];
    private final RunIds<byte[]> valueIds = new RunIds<>();

    Memory() {
        count = 1;
        for (int f = 0; f < MAX_FRAMES; f++) {
            add(stack, f * FRAME_SIZE, FRAME_SIZE, true, "stack frame " + f);
        }
    }

    /** Where region {@code id} starts in its array. */
    int start(int id) {
        return meta[id * 4 + START];
    }

    /**
     * Makes every access to region {@code id} take the slow path (a context whose packet
     * pointer fields a {@link PacketContext} answers).
     */
    void slowPathOnly(int id) {
        meta[id * 4 + LEN] = 0;
        meta[id * 4 + WLEN] = 0;
    }

    private static int mix(int g) {
        int h = g * 0x85ebca77;
        h ^= h >>> 15;
        h *= 0x2c1b3c6d;
        return h ^ h >>> 12;
    }

    long ptr(int id, int offset) {
        return (long) meta[id * 4 + HI] << 32 | (offset & 0xffffffffL);
    }

    /** The region a pointer names, or 0 when it names none (wrong id or stale tag). */
    int idOf(long addr) {
        int h = (int) (addr >>> 32);
        int id = h & 0xffff;
        return id < count && meta[id * 4 + HI] == h ? id : 0;
    }

    /** The frame pointer {@code r10} of call depth {@code depth}: the top of its frame. */
    long framePointer(int depth) {
        int id = 1 + depth;
        // reset() tags only the main frame; a called frame gets this run's tag when entered.
        if (meta[id * 4 + HI] == 0) meta[id * 4 + HI] = tag(id);
        return ptr(id, FRAME_SIZE);
    }

    private int tag(int id) {
        // genMix is the generation hashed once per run; a region's tag differs from run to run.
        int h = genMix + id * 0x9e3779b1;
        h ^= h >>> 15;
        return (h & 0x7fff | 0x8000) << 16 | id;
    }

    int add(byte[] a, int from, int length, boolean canWrite, String description) {
        return region(a, from, length, canWrite, description, null, null);
    }

    /** A context region whose packet pointer fields {@code pc} answers. */
    int addContext(byte[] a, PacketContext pc) {
        return region(a, 0, a.length, true, "context", null, pc);
    }

    private int region(byte[] a, int from, int length, boolean canWrite, String description, VmMap m, PacketContext pc) {
        if (count == MAX_REGIONS) {
            throw new Fault("too many memory regions in one run (" + MAX_REGIONS + ")");
        }
        if (count == arr.length) {
            int n = count * 2;
            meta = Arrays.copyOf(meta, n * 4);
            arr = Arrays.copyOf(arr, n);
            size = Arrays.copyOf(size, n);
            writable = Arrays.copyOf(writable, n);
            what = Arrays.copyOf(what, n);
            map = Arrays.copyOf(map, n);
            ctx = Arrays.copyOf(ctx, n);
        }
        int id = count++;
        meta[id * 4 + HI] = tag(id);
        // A slot that already holds the same object (a repeated test run's packet and context,
        // which reset() leaves in place) is not written again: a repeated run measured faster
        // storing no reference it stored the run before.
        if (arr[id] != a) arr[id] = a;
        if (what[id] != description) what[id] = description;
        if (map[id] != m) map[id] = m;
        if (ctx[id] != pc) ctx[id] = pc;
        meta[id * 4 + START] = from;
        meta[id * 4 + LEN] = length;
        size[id] = length;
        meta[id * 4 + WLEN] = canWrite ? length : 0;
        writable[id] = canWrite;
        return id;
    }

    /** A zero-length region standing for a map, so that map pointers are distinct and checkable. */
    int addMap(VmMap m) {
        return region(null, 0, 0, false, "map", m, null);
    }

    /** The region of a map's live value array, one per array per run. */
    long valuePointer(VmMap m, byte[] value) {
        int id = valueIds.get(value);
        if (id == 0) {
            id = add(value, 0, value.length, !m.readOnlyForPrograms(), "map value");
            valueIds.put(value, id);
        }
        return ptr(id, 0);
    }

    /**
     * Re-points a region at other memory (the element a callback sees next); pointers into it
     * then reach the new memory, as the region is one slot reused for a walk.
     */
    void retarget(int id, byte[] a, int from, int length, boolean canWrite) {
        arr[id] = a;
        meta[id * 4 + START] = from;
        meta[id * 4 + LEN] = length;
        size[id] = length;
        meta[id * 4 + WLEN] = canWrite ? length : 0;
        writable[id] = canWrite;
    }

    void invalidate(int id, String why) {
        meta[id * 4 + LEN] = 0;
        meta[id * 4 + WLEN] = 0;
        size[id] = 0;
        what[id] = why;
        if (arr[id] != null) {
            valueIds.remove(arr[id]);
        }
    }

    /** Forgets every region of the run; the stack frames stay. */
    void reset() {
        // The first few slots keep what they held for the next run, which mostly fills them with
        // the same objects (see region()): what they keep alive is bounded, and let go when the
        // Vm runs again or is dropped. The running program keeps its maps alive as long anyway.
        for (int i = KEEP; i < count; i++) {
            arr[i] = null;
            what[i] = null;
            map[i] = null;
            ctx[i] = null;
        }
        count = FIXED;
        generation++;
        genMix = mix(generation);
        // Stale pointers into the stack fail: the main frame gets a new tag, the others none
        // until a call enters them (framePointer).
        meta[4 + HI] = tag(1);
        for (int i = 2; i < FIXED; i++) {
            meta[i * 4 + HI] = 0;
        }
        valueIds.reset();
    }

    // ---- accesses ----

    long load(long a, int n) {
        int h = (int) (a >>> 32);
        int id = h & 0xffff;
        int o = (int) a;
        int[] md = meta;
        int b = id * 4;
        if (id < count && md[b + HI] == h && o >= 0 && o <= md[b + LEN] - n) {
            byte[] m = arr[id];
            int i = md[b + START] + o;
            switch (n) {
                case 1: return m[i] & 0xffL;
                case 2: return (short) I16.get(m, i) & 0xffffL;
                case 4: return (int) I32.get(m, i) & 0xffffffffL;
                default: return (long) I64.get(m, i);
            }
        }
        return loadSlow(a, n);
    }

    void store(long a, int n, long v) {
        int h = (int) (a >>> 32);
        int id = h & 0xffff;
        int o = (int) a;
        int[] md = meta;
        int b = id * 4;
        if (id < count && md[b + HI] == h && o >= 0 && o <= md[b + WLEN] - n) {
            byte[] m = arr[id];
            int i = md[b + START] + o;
            switch (n) {
                case 1: m[i] = (byte) v; break;
                case 2: I16.set(m, i, (short) v); break;
                case 4: I32.set(m, i, (int) v); break;
                default: I64.set(m, i, v); break;
            }
            return;
        }
        storeSlow(a, n, v);
    }

    private long loadSlow(long a, int n) {
        int id = checkRegion(a, n, "read");
        if (ctx[id] != null) {
            return ctx[id].load(this, id, (int) a, n);
        }
        throw outside(a, n, "read", id);
    }

    private void storeSlow(long a, int n, long v) {
        int id = checkRegion(a, n, "write");
        if (ctx[id] != null) {
            ctx[id].store(this, id, (int) a, n, v);
            return;
        }
        if (!writable[id] && size[id] > 0) {
            throw new Fault("invalid write of " + n + " bytes at " + hex(a) + ": " + what[id] + " is read-only");
        }
        throw outside(a, n, "write", id);
    }

    /** Checks that {@code a} names a region at all; the caller checks the bounds. */
    int checkRegion(long a, int n, String verb) {
        int id = idOf(a);
        if (id <= 0) {
            throw new Fault("invalid " + verb + " of " + n + " bytes at " + hex(a) + ": not a pointer to memory the"
                    + " program holds");
        }
        return id;
    }

    Fault outside(long a, int n, String verb, int id) {
        String region = map[id] != null ? "a map pointer, which programs cannot dereference"
                : what[id] + " of " + size[id] + " bytes";
        return new Fault("invalid " + verb + " of " + n + " bytes at " + hex(a) + " (offset " + (int) a + " in "
                + region + ")");
    }

    /** Resolves {@code [a, a + n)} for a bulk copy; returns the array index, the region id in {@link #lastId}. */
    int lastId;

    int span(long a, int n, boolean write) {
        String verb = write ? "write" : "read";
        if (n < 0) {
            throw new Fault("invalid " + verb + " of " + n + " bytes at " + hex(a));
        }
        int id = checkRegion(a, n, verb);
        int o = (int) a;
        int limit = ctx[id] != null ? size[id] : write ? meta[id * 4 + WLEN] : meta[id * 4 + LEN];
        if (write && !writable[id] && size[id] > 0) {
            throw new Fault("invalid write of " + n + " bytes at " + hex(a) + ": " + what[id] + " is read-only");
        }
        if (o < 0 || o > limit - n) {
            throw outside(a, n, verb, id);
        }
        lastId = id;
        return meta[id * 4 + START] + o;
    }

    void read(long a, byte[] dst, int off, int n) {
        int i = span(a, n, false);
        System.arraycopy(arr[lastId], i, dst, off, n);
    }

    void write(long a, byte[] src, int off, int n) {
        int i = span(a, n, true);
        System.arraycopy(src, off, arr[lastId], i, n);
    }

    static String hex(long a) {
        return String.format("0x%016x", a);
    }
}
