package io.bpf4j.sim.internal.kernel;

/** The kinds of objects a descriptor can refer to; each kind has its own id space, as in the kernel. */
public enum ObjKind {
    /** A map. */
    MAP,
    /** A program. */
    PROG,
    /** A link. */
    LINK,
    /** A BTF object. */
    BTF,
    /** Anything else a descriptor can refer to (stats, iterators): no id. */
    OTHER
}
