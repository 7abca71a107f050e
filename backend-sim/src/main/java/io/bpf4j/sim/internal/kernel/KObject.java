package io.bpf4j.sim.internal.kernel;

/**
 * A reference-counted kernel object. Like the kernel's {@code bpf_map}, {@code bpf_prog} and
 * {@code bpf_link}, it lives while anything holds a reference: a descriptor, a pin, a link, an
 * attachment, a program using a map, a prog-array or map-in-map slot. When the last reference
 * goes, its id is freed (next-id and fd-by-id no longer find it) and it releases what it holds.
 *
 * <p>Maps also count user references (descriptors and pins) apart, because the kernel clears a
 * prog array when the last user reference goes ({@code bpf_map_put_uref}), which breaks
 * reference cycles through tail calls.
 */
public abstract class KObject {
    private final ObjKind kind;
    private int id;
    private int refs;
    private int urefs;
    private boolean dead;

    /**
     * Creates an object with no references yet.
     *
     * @param kind its kind
     */
    protected KObject(ObjKind kind) {
        this.kind = kind;
    }

    /**
     * The kind.
     *
     * @return the kind
     */
    public final ObjKind kind() {
        return kind;
    }

    /**
     * The id, 0 until registered.
     *
     * @return the id
     */
    public final int id() {
        return id;
    }

    final void setId(int id) {
        this.id = id;
    }

    /**
     * Whether the last reference is gone.
     *
     * @return true once destroyed
     */
    public final boolean dead() {
        return dead;
    }

    /**
     * Takes a reference.
     *
     * @return this object
     */
    public final KObject hold() {
        if (dead) throw new IllegalStateException("hold on a dead " + describe());
        refs++;
        return this;
    }

    /** Drops a reference; the last one destroys the object. */
    public final void put() {
        if (refs <= 0) throw new IllegalStateException("put without hold on " + describe());
        if (--refs == 0) {
            dead = true;
            Kernel k = kernel();
            if (k != null) k.unregister(this);
            destroy();
        }
    }

    /** Takes a user reference (a descriptor or a pin) and a reference. */
    public final void holdUser() {
        hold();
        urefs++;
    }

    /** Drops a user reference and a reference. */
    public final void putUser() {
        if (--urefs == 0) lastUserGone();
        put();
    }

    /**
     * The number of references, for tests.
     *
     * @return the count
     */
    public final int refs() {
        return refs;
    }

    /** Called when the last descriptor or pin goes while other references remain or not. */
    protected void lastUserGone() {
    }

    /** Releases what this object holds; called once, after the last reference went. */
    protected abstract void destroy();

    /**
     * The kernel this object lives in, for unregistering its id.
     *
     * @return the kernel, or null for objects without an id
     */
    protected abstract Kernel kernel();

    /**
     * A short description for messages, such as {@code map "counts"}.
     *
     * @return the description
     */
    public abstract String describe();
}
