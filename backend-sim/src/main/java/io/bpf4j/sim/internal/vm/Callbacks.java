package io.bpf4j.sim.internal.vm;

import static io.bpf4j.sim.internal.vm.LinuxErrno.*;

import io.bpf4j.api.MapType;
import java.util.EnumSet;
import java.util.Set;

/**
 * The helpers that call back into the program ({@code bpf_loop}, {@code bpf_for_each_map_elem},
 * {@code bpf_user_ringbuf_drain}) and the dynptr helpers the drain's callback reads samples with,
 * following {@code kernel/bpf/bpf_iter.c}, {@code arraymap.c}, {@code hashtab.c},
 * {@code ringbuf.c} and {@code helpers.c} of Linux 6.18: argument checks in the same order, the
 * same return values. Each callback runs through {@link Vm#callback}.
 */
final class Callbacks {
    private Callbacks() {}

    /** {@code BPF_MAX_LOOPS}. */
    static final long MAX_LOOPS = 1 << 23;
    private static final long M32 = 0xffffffffL;
    /** The map types with a {@code map_for_each_callback} in Linux 6.18 (of those simulated). */
    private static final Set<MapType> WALKABLE = EnumSet.of(MapType.ARRAY, MapType.PERCPU_ARRAY, MapType.HASH,
            MapType.PERCPU_HASH, MapType.LRU_HASH, MapType.LRU_PERCPU_HASH);

    /** {@code bpf_loop(nr_loops, callback_fn, callback_ctx, flags)}. */
    static long loop(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        vm.checkCallback(r2, "bpf_loop");
        if (r4 != 0) {
            // The helper itself (the verifier inlines only calls whose flags it knows are 0).
            return -EINVAL;
        }
        // Flags 0: the kernel's verifier inlines the call (inline_bpf_loop() in verifier.c): the
        // count is compared in 64 bits and the error set with a 32-bit move. A program whose
        // flags are 0 only at run time gets the helper on the kernel (count truncated to 32
        // bits, -E2BIG in 64); the simulator cannot tell the two apart without tracking values.
        long n = r1;
        if (Long.compareUnsigned(n, MAX_LOOPS) > 0) {
            return -E2BIG & M32;
        }
        for (long i = 0; i < n; i++) {
            if (CallFrames.stopRequested(vm.callback(r2, i, r3, 0, 0, 0), "bpf_loop")) {
                return i + 1;
            }
        }
        return n;
    }

    /** {@code bpf_for_each_map_elem(map, callback_fn, callback_ctx, flags)}. */
    static long forEachMapElem(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        VmMap m = vm.map(r1);
        if (!WALKABLE.contains(m.type())) {
            throw new VmException(-1, "cannot pass map_type " + m.type() + " into func bpf_for_each_map_elem");
        }
        vm.checkCallback(r2, "bpf_for_each_map_elem");
        if (r4 != 0) {
            return -EINVAL;
        }
        // The kernel passes pointers to the element's key (read-only to the callback) and value;
        // two regions re-pointed at each element keep a walk of any length within the run's
        // region table.
        int keyRegion = vm.frames().scratchRegion(CallFrames.SCRATCH_KEY, "map key");
        int valueRegion = vm.frames().scratchRegion(CallFrames.SCRATCH_VALUE, "map value");
        byte[] key = new byte[m.keySize()];
        boolean writable = !m.readOnlyForPrograms();
        return m.forEachElem(vm.env().cpu(), (k, v) -> {
            System.arraycopy(k, 0, key, 0, key.length);
            long kp = vm.frames().retarget(keyRegion, key, 0, key.length, false);
            long vp = vm.frames().retarget(valueRegion, v, 0, v.length, writable);
            return CallFrames.stopRequested(vm.callback(r2, r1, kp, vp, r3, 0), "bpf_for_each_map_elem");
        });
    }

    /** {@code bpf_user_ringbuf_drain(map, callback_fn, callback_ctx, flags)}. */
    static long userRingbufDrain(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        VmMap m = vm.map(r1);
        if (!(m instanceof VmUserRingBuffer)) {
            throw new VmException(-1, "cannot pass map_type " + m.type() + " into func bpf_user_ringbuf_drain");
        }
        vm.checkCallback(r2, "bpf_user_ringbuf_drain");
        Dynptrs.Dynptr d = vm.dynptrs().open();
        return ((VmUserRingBuffer) m).drain(r4, sample -> {
            // bpf_dynptr_init(&dynptr, sample, BPF_DYNPTR_TYPE_LOCAL, 0, size): not read-only.
            long dp = vm.dynptrs().point(d, sample, false);
            try {
                return CallFrames.stopRequested(vm.callback(r2, dp, r3, 0, 0, 0), "bpf_user_ringbuf_drain") ? 1 : 0;
            } finally {
                vm.dynptrs().clear(d);
            }
        });
    }

    /** {@code bpf_dynptr_read(dst, len, src, offset, flags)}. */
    static long dynptrRead(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        Dynptrs.Dynptr d = vm.dynptrs().get(r3, "bpf_dynptr_read");
        long len = r2 & M32;
        long offset = r4 & M32;
        if (r5 != 0) {
            return -EINVAL;
        }
        if (!Dynptrs.inside(d, offset, len)) {
            return -E2BIG;
        }
        vm.write(r1, d.data, (int) offset, (int) len);
        return 0;
    }

    /** {@code bpf_dynptr_write(dst, offset, src, len, flags)}. */
    static long dynptrWrite(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        Dynptrs.Dynptr d = vm.dynptrs().get(r1, "bpf_dynptr_write");
        long offset = r2 & M32;
        long len = r4 & M32;
        if (d.readOnly) {
            return -EINVAL;
        }
        if (!Dynptrs.inside(d, offset, len)) {
            return -E2BIG;
        }
        if (r5 != 0) {
            return -EINVAL;
        }
        vm.read(r3, d.data, (int) offset, (int) len);
        return 0;
    }

    /** {@code bpf_dynptr_data(ptr, offset, len)}: a pointer into the data, or NULL. */
    static long dynptrData(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        Dynptrs.Dynptr d = vm.dynptrs().get(r1, "bpf_dynptr_data");
        long offset = r2 & M32;
        long len = r3 & M32;
        if (!Dynptrs.inside(d, offset, len) || d.readOnly) {
            return 0;
        }
        return vm.mem.ptr(d.dataRegion, (int) offset);
    }
}
