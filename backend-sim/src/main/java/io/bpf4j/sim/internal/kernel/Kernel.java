package io.bpf4j.sim.internal.kernel;

import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The simulated kernel's shared state: descriptors, ids, bpffs, injected faults. Every command
 * runs under its one lock (commands are short, and the interpreter runs under it too, so programs
 * and syscalls see each other's writes in a clear order).
 */
public final class Kernel {
    /** The backend name in every exception. */
    public static final String BACKEND = "sim";

    private final SimConfig config;
    private final FdTable fds = new FdTable();
    private final Map<ObjKind, IdTable> ids = new EnumMap<>(ObjKind.class);
    private final Bpffs bpffs;
    private final FaultTable faults = new FaultTable();
    private final Random random;
    private final long bootNanos = System.nanoTime();
    private final Map<Class<?>, Object> subsystems = new HashMap<>();
    private int statsUsers;
    private volatile boolean closed;

    /**
     * Creates an empty kernel.
     *
     * @param config the settings
     */
    public Kernel(SimConfig config) {
        this.config = config;
        this.bpffs = new Bpffs(config.bpffsMount());
        this.random = new Random(config.seed());
        for (ObjKind k : ObjKind.values()) ids.put(k, new IdTable());
    }

    /**
     * Runs a command under the lock, turning a {@link KErr} into the public exception.
     *
     * @param <T> the result type
     * @param op the command
     * @param body the command's work
     * @return its result
     */
    public synchronized <T> T run(Operation op, Supplier<T> body) {
        checkOpen();
        try {
            return body.get();
        } catch (KErr e) {
            throw e.toBpf(op);
        }
    }

    /**
     * Runs a command with no result.
     *
     * @param op the command
     * @param body the command's work
     */
    public void exec(Operation op, Runnable body) {
        run(op, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Closes the backend: from now on every command but {@code close(2)} of a descriptor throws
     * {@link IllegalStateException}, as the Linux backend does after {@code close()}.
     * Descriptors stay open, so handles closed later still release theirs.
     */
    public void close() {
        closed = true;
    }

    /**
     * Throws when the backend was closed.
     *
     * @throws IllegalStateException naming the backend
     */
    public void checkOpen() {
        if (closed) throw new IllegalStateException(BACKEND + " backend is closed");
    }

    /**
     * The settings.
     *
     * @return the settings
     */
    public SimConfig config() {
        return config;
    }

    /**
     * The descriptor table.
     *
     * @return the table
     */
    public FdTable fds() {
        return fds;
    }

    /**
     * The virtual bpffs.
     *
     * @return the bpffs
     */
    public Bpffs bpffs() {
        return bpffs;
    }

    /**
     * The injected faults.
     *
     * @return the fault table
     */
    public FaultTable faults() {
        return faults;
    }

    /**
     * A fresh random hash seed (the kernel's {@code get_random_u32()}).
     *
     * @return the seed
     */
    public int randomSeed() {
        return random.nextInt();
    }

    /**
     * Nanoseconds since the simulated boot.
     *
     * @return the time
     */
    public long bootTimeNs() {
        return System.nanoTime() - bootNanos;
    }

    /**
     * Gives an object its id.
     *
     * @param obj the new object
     */
    public void register(KObject obj) {
        if (obj.kind() == ObjKind.OTHER) return;
        obj.setId(ids.get(obj.kind()).add(obj));
    }

    void unregister(KObject obj) {
        if (obj.id() != 0) ids.get(obj.kind()).remove(obj.id());
    }

    /**
     * A live object by id.
     *
     * @param kind its kind
     * @param id its id
     * @return the object
     * @throws KErr ENOENT when there is none
     */
    public KObject byId(ObjKind kind, int id) {
        KObject o = ids.get(kind).get(id);
        if (o == null) throw KErr.of(Errno.ENOENT);
        return o;
    }

    /**
     * {@code BPF_*_GET_NEXT_ID}.
     *
     * @param kind the kind
     * @param start the previous id, 0 to start
     * @return the next live id, or 0
     */
    public int nextId(ObjKind kind, int start) {
        // bpf_obj_get_next_id() refuses start ids at or above INT_MAX.
        if (start < 0 || start == Integer.MAX_VALUE) throw KErr.of(Errno.EINVAL);
        return ids.get(kind).nextAfter(start);
    }

    /**
     * How many objects of a kind are alive, for tests and leak checks.
     *
     * @param kind the kind
     * @return the count
     */
    public int liveCount(ObjKind kind) {
        return ids.get(kind).size();
    }

    /**
     * The object behind a descriptor.
     *
     * @param fd the descriptor
     * @return its entry
     * @throws KErr EBADF if it is not open
     */
    public FdTable.Entry fd(int fd) {
        return fds.get(fd);
    }

    /**
     * Whether run-time statistics are on ({@code BPF_ENABLE_STATS} descriptors open).
     *
     * @return true while enabled
     */
    public boolean statsEnabled() {
        return statsUsers > 0;
    }

    /**
     * Counts an open or closed stats descriptor.
     *
     * @param delta +1 or -1
     */
    public void statsUsers(int delta) {
        statsUsers += delta;
    }

    /**
     * The state of a subsystem (attach hooks, cgroups) that lives as long as the kernel, keyed by
     * its class so that this package need not know the subsystems.
     *
     * @param <T> its type
     * @param type its class
     * @param make creates the state on first use
     * @return the state
     */
    public <T> T subsystem(Class<T> type, Supplier<T> make) {
        return type.cast(subsystems.computeIfAbsent(type, t -> make.get()));
    }
}
