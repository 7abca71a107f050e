package io.bpf4j.sim.internal.verifier;

import static io.bpf4j.api.asm.Opcodes.*;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapType;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.sim.internal.maps.SimMap;
import io.bpf4j.sim.internal.prog.Insns;
import java.util.EnumSet;
import java.util.Set;

/** Which maps a program and a helper may use ({@code check_map_prog_compatibility}, {@code check_map_func_compatibility}). */
final class Maps {
    private static final Set<MapType> SLEEPABLE_OK = EnumSet.of(MapType.HASH, MapType.LRU_HASH, MapType.ARRAY, MapType.PERCPU_HASH,
            MapType.PERCPU_ARRAY, MapType.LRU_PERCPU_HASH, MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS, MapType.RINGBUF,
            MapType.USER_RINGBUF, MapType.INODE_STORAGE, MapType.SK_STORAGE, MapType.TASK_STORAGE, MapType.CGRP_STORAGE,
            MapType.QUEUE, MapType.STACK, MapType.ARENA);

    private Maps() {
    }

    /**
     * Per map the program uses, checked as each map is resolved: values with a spin lock are
     * refused to socket filters and tracing programs, and sleepable programs may use only some map types.
     */
    static void checkProgCompat(Verifier v) {
        for (int i = 0; i < v.w.length; i++) {
            long x = v.w[i];
            if (!Insns.isLdImm64(x)) continue;
            int s = Insns.src(x);
            if (s != 0 && s != PSEUDO_FUNC) {
                SimMap m = v.map(x, v.w[i + 1]);
                SpinLocks.checkProgType(v.type, m);
                if (v.sleepable && !SLEEPABLE_OK.contains(m.type())) {
                    throw new Verifier.Reject(Errno.EINVAL, "Sleepable programs can only use array, hash, ringbuf and local storage maps", false);
                }
            }
            i++;
        }
    }

    /** The helpers a map type is limited to, or null when any helper may take it. */
    private static int[] onlyFuncs(MapType t) {
        switch (t) {
            case PROG_ARRAY: return new int[] {12};
            case PERF_EVENT_ARRAY: return new int[] {22, 25, 55, 111, 121};
            case RINGBUF: return new int[] {130, 131, 134, 198, 199, 200};
            case USER_RINGBUF: return new int[] {209};
            case STACK_TRACE: return new int[] {27};
            case ARRAY_OF_MAPS: case HASH_OF_MAPS: return new int[] {1};
            case QUEUE: case STACK: return new int[] {87, 88, 89};
            case BLOOM_FILTER: return new int[] {87, 89};
            case DEVMAP: case DEVMAP_HASH: case XSKMAP: return new int[] {51, 1};
            case CPUMAP: return new int[] {51};
            default: return null;
        }
    }

    /** The map types a helper is limited to, or null. */
    private static Set<MapType> onlyMaps(int func) {
        switch (func) {
            case 12: return EnumSet.of(MapType.PROG_ARRAY);
            case 22: case 25: case 55: case 111: case 121: return EnumSet.of(MapType.PERF_EVENT_ARRAY);
            case 130: case 131: case 134: case 198: return EnumSet.of(MapType.RINGBUF);
            case 209: return EnumSet.of(MapType.USER_RINGBUF);
            case 27: return EnumSet.of(MapType.STACK_TRACE);
            case 87: case 88: case 89: return EnumSet.of(MapType.QUEUE, MapType.STACK, MapType.BLOOM_FILTER);
            case 195: return EnumSet.of(MapType.PERCPU_ARRAY, MapType.PERCPU_HASH, MapType.LRU_PERCPU_HASH);
            case 51: return EnumSet.of(MapType.DEVMAP, MapType.DEVMAP_HASH, MapType.CPUMAP, MapType.XSKMAP);
            default: return null;
        }
    }

    static void checkFuncCompat(SimMap m, int func) {
        int[] only = onlyFuncs(m.type());
        boolean ok = true;
        if (only != null) {
            ok = false;
            for (int f : only) if (f == func) ok = true;
        }
        Set<MapType> maps = onlyMaps(func);
        if (maps != null && !maps.contains(m.type())) ok = false;
        if (!ok) {
            Helper h = Helper.byId(func);
            throw new Verifier.Reject(Errno.EINVAL, "cannot pass map_type " + m.type().ordinal() + " into func "
                    + (h == null ? "unknown" : h.cName()) + "#" + func, false);
        }
    }
}
