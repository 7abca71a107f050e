package io.bpf4j.sim.internal.attach;

import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.ObjKind;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulated cgroups. A cgroup opened by path gets an id and knows its nearest opened ancestor
 * (cgroups in between that nobody opened hold no programs, so skipping them changes nothing). A
 * cgroup target that is not such a descriptor is an opaque cgroup number with no parent.
 */
public final class Cgroups {
    private final Map<String, Long> ids = new HashMap<>();
    private final Map<Long, String> paths = new HashMap<>();
    private long next = 1000;

    /** Creates an empty registry. */
    public Cgroups() {
    }

    /**
     * The kernel's registry of cgroups.
     *
     * @param k the kernel
     * @return the registry
     */
    public static Cgroups of(Kernel k) {
        return k.subsystem(Cgroups.class, Cgroups::new);
    }

    /**
     * The id of a cgroup directory, assigned on first use.
     *
     * @param path the directory
     * @return its id
     */
    public long idOf(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return ids.computeIfAbsent(p, x -> {
            long id = next++;
            paths.put(id, x);
            return id;
        });
    }

    /**
     * The nearest opened ancestor.
     *
     * @param id a cgroup
     * @return the parent's id, or 0
     */
    long parent(long id) {
        String p = paths.get(id);
        if (p == null) return 0;
        for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
            Long a = ids.get(p.substring(0, i));
            if (a != null) return a;
        }
        return 0;
    }

    /** A descriptor on a cgroup directory ({@code open(2)} of the directory). */
    public static final class Handle extends KObject {
        private final long id;

        /**
         * Wraps a cgroup.
         *
         * @param id its id
         */
        public Handle(long id) {
            super(ObjKind.OTHER);
            this.id = id;
        }

        /**
         * The cgroup's id.
         *
         * @return the id
         */
        public long cgroupId() {
            return id;
        }

        @Override
        protected void destroy() {
        }

        @Override
        protected Kernel kernel() {
            return null;
        }

        @Override
        public String describe() {
            return "cgroup " + id;
        }
    }
}
