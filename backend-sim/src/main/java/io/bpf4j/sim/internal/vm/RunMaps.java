package io.bpf4j.sim.internal.vm;

import java.util.Arrays;

/**
 * The handles a run gives the maps of its programs: a zero-length region per map (what
 * {@code ld_imm64} of a map loads), and the region of each array map's element 0 once a direct
 * value load asked for it. Made on first use in a run and forgotten when it ends, like every
 * region; the arrays are kept and reused from run to run, so a run allocates nothing here.
 */
final class RunMaps {
    private static final int[] NO_IDS = new int[0];

    private final Memory mem;
    /** The running program's map regions by map index; {@link #mapIdBuf} or empty. */
    private int[] mapIds = NO_IDS;
    /** The region of each map's direct value by map index, 0 until loaded; {@link #valueIdBuf} or empty. */
    private int[] valueIds = NO_IDS;
    private int[] mapIdBuf = NO_IDS;
    private int[] valueIdBuf = NO_IDS;
    /** The region standing for each map the run has used. */
    private final RunIds<VmMap> regions = new RunIds<>();

    RunMaps(Memory mem) {
        this.mem = mem;
    }

    /** Gives the maps of {@code p}, which becomes the running program, their handles in this run. */
    void bind(VmProgram p) {
        int n = p.maps.length;
        if (n == 0) {
            mapIds = NO_IDS;
            valueIds = NO_IDS;
            return;
        }
        // A tail call replaces the program whose handles the arrays held; nothing reads those again.
        if (mapIdBuf.length < n) {
            mapIdBuf = new int[n];
            valueIdBuf = new int[n];
        }
        mapIds = mapIdBuf;
        valueIds = valueIdBuf;
        Arrays.fill(valueIds, 0, n, 0);
        for (int i = 0; i < n; i++) {
            mapIds[i] = region(p.maps[i]);
        }
    }

    /** The region standing for a map in this run, made on first use. */
    int region(VmMap m) {
        int id = regions.get(m);
        if (id == 0) {
            id = mem.addMap(m);
            regions.put(m, id);
        }
        return id;
    }

    /** The map pointer of the running program's map {@code index}. */
    long pointer(int index) {
        return mem.ptr(mapIds[index], 0);
    }

    /**
     * A pointer {@code offset} bytes into element 0 of the running program's array map
     * {@code index} ({@code BPF_PSEUDO_MAP_VALUE}), as CPU {@code cpu} sees it.
     */
    long directValue(VmProgram running, int index, int offset, int cpu) {
        if (valueIds[index] == 0) {
            VmMap m = running.maps[index];
            byte[] value = m.lookup(new byte[m.keySize()], cpu);
            if (value == null) {
                throw new VmException(-1, "array map has no element 0 for a direct value load");
            }
            valueIds[index] = mem.idOf(mem.valuePointer(m, value));
        }
        return mem.ptr(valueIds[index], offset);
    }

    /** Forgets the run's handles (the regions themselves go with {@link Memory#reset()}). */
    void reset() {
        regions.reset();
        mapIds = NO_IDS;
        valueIds = NO_IDS;
    }
}
