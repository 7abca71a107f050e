package io.bpf4j.sim.internal.verifier;

import io.bpf4j.api.Errno;
import io.bpf4j.api.ProgramType;
import io.bpf4j.sim.internal.maps.SimMap;

/**
 * Spin lock regions, after Linux 6.18's {@code process_spin_lock()} and the lock checks of
 * {@code do_check()}: {@code bpf_spin_lock} takes a map value pointer at the exact offset of the
 * value's {@code struct bpf_spin_lock}; one lock at a time; the unlock names the same value (map
 * and pointer id); no helper but the unlock inside a region and no exit of the main program while
 * holding, no global function called while holding; the lock word is never loaded or stored
 * directly. The held lock is part of the path state ({@link VState#lockMap}).
 */
final class SpinLocks {
    static final int LOCK = 93;
    static final int UNLOCK = 94;
    /** {@code sizeof(struct bpf_spin_lock)}. */
    private static final int SIZE = 4;

    private SpinLocks() {
    }

    /** Before a helper's arguments: inside a region only the unlock may be called. */
    static void beforeHelper(VState s, int id) {
        if (s.lockMap != null && id != UNLOCK) {
            Verifier.reject(Errno.EINVAL, "function calls are not allowed while holding a lock");
        }
    }

    /** {@code check_func_call()}: a global function is verified without the caller's lock, so it may not be called holding one. */
    static void beforeGlobalCall(VState s) {
        if (s.lockMap != null) {
            Verifier.reject(Errno.EINVAL, "global function calls are not allowed while holding a lock,\nuse static function instead");
        }
    }

    /** The argument of {@code bpf_spin_lock}/{@code unlock} ({@code ARG_PTR_TO_SPIN_LOCK}), and the region it opens or closes. */
    static void arg(Verifier v, VState s, Reg g, int id) {
        boolean lock = id == LOCK;
        if (g.type == Reg.ANY) {
            v.note("a spin lock in memory the model does not type");
            return;
        }
        if (g.type != Reg.MAP_VALUE || g.orNull) {
            Verifier.reject(Errno.EACCES, "R1 type=" + g.typeName() + " expected=map_value, ptr_");
        }
        if (!g.fixed()) {
            Verifier.reject(Errno.EINVAL, "R1 doesn't have constant offset. bpf_spin_lock has to be at the constant offset");
        }
        SimMap m = g.map;
        String name = m.spec().name();
        if (m.btfId() == 0) {
            Verifier.reject(Errno.EINVAL, "map '" + name + "' has to have BTF in order to use bpf_spin_lock");
        }
        int at = m.spinLockOffset();
        if (at < 0) Verifier.reject(Errno.EINVAL, "map '" + name + "' has no valid bpf_spin_lock");
        if (g.off != at) {
            Verifier.reject(Errno.EINVAL, "off " + g.off + " doesn't point to 'struct bpf_spin_lock' that is at " + at);
        }
        if (lock) {
            if (s.lockMap != null) Verifier.reject(Errno.EINVAL, "Locking two bpf_spin_locks are not allowed");
            s.lockMap = m;
            s.lockId = g.id;
            return;
        }
        if (s.lockMap == null) Verifier.reject(Errno.EINVAL, "bpf_spin_unlock without taking a lock");
        if (s.lockMap != m || s.lockId != g.id) Verifier.reject(Errno.EINVAL, "bpf_spin_unlock of different lock");
        s.lockMap = null;
        s.lockId = 0;
    }

    /** {@code check_map_prog_compatibility()}: socket filters and tracing programs may not use a value with a lock. */
    static void checkProgType(ProgramType t, SimMap m) {
        if (m.spinLockOffset() < 0) return;
        if (t == ProgramType.SOCKET_FILTER) {
            throw new Verifier.Reject(Errno.EINVAL, "socket filter progs cannot use bpf_spin_lock yet", false);
        }
        if (t == ProgramType.KPROBE || t == ProgramType.TRACEPOINT || t == ProgramType.PERF_EVENT || t == ProgramType.RAW_TRACEPOINT
                || t == ProgramType.RAW_TRACEPOINT_WRITABLE) {
            throw new Verifier.Reject(Errno.EINVAL, "tracing progs cannot use bpf_spin_lock yet", false);
        }
    }

    /** The main program's exit inside a region ({@code check_resource_leak()}). */
    static void atExit(VState s) {
        if (s.lockMap != null) {
            Verifier.reject(Errno.EINVAL, "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region");
        }
    }

    /** {@code check_map_access()}: no load, store or helper access may touch the lock word. */
    static void access(Reg base, long off, long size) {
        int at = base.map.spinLockOffset();
        if (at < 0) return;
        long lo = base.smin + base.off + off;
        long hi = base.umax + base.off + off + size;
        if (lo < at + SIZE && at < hi) {
            Verifier.reject(Errno.EACCES, "bpf_spin_lock cannot be accessed directly by load/store");
        }
    }
}
