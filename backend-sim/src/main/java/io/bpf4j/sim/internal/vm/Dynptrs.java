package io.bpf4j.sim.internal.vm;

import java.util.HashMap;
import java.util.Map;

/**
 * The dynptrs a run hands to callbacks ({@code struct bpf_dynptr_kern} in
 * {@code include/linux/bpf.h}, Linux 6.18: data, offset, size with its type and read-only bits).
 * The program holds a pointer to a zero-length region standing for the dynptr, which it cannot
 * dereference (the kernel's {@code CONST_PTR_TO_DYNPTR}); the dynptr helpers find the dynptr by
 * that pointer. {@code bpf_dynptr_data} points into a second region over the whole sample, so a
 * program may reach past the length it asked for where the kernel's verifier would stop it.
 */
final class Dynptrs {
    /** {@code DYNPTR_MAX_SIZE}: a dynptr describes at most 2^24 - 1 bytes. */
    static final int MAX_SIZE = (1 << 24) - 1;

    /** One dynptr: a window over a byte array. */
    static final class Dynptr {
        final int region;
        final int dataRegion;
        byte[] data;
        int size;
        boolean readOnly;

        Dynptr(int region, int dataRegion) {
            this.region = region;
            this.dataRegion = dataRegion;
        }
    }

    private final Vm vm;
    private final Map<Integer, Dynptr> live = new HashMap<>();

    Dynptrs(Vm vm) {
        this.vm = vm;
    }

    /** A dynptr slot for one helper call, pointing at nothing until {@link #point}. */
    Dynptr open() {
        Dynptr d = new Dynptr(vm.frames().scratchRegion(CallFrames.SCRATCH_DYNPTR, "dynptr, which programs cannot dereference"),
                vm.frames().scratchRegion(CallFrames.SCRATCH_DYNPTR_DATA, "dynptr data"));
        live.put(d.region, d);
        return d;
    }

    /** Points the dynptr at {@code data}; returns the pointer a callback gets in {@code r1}. */
    long point(Dynptr d, byte[] data, boolean readOnly) {
        d.data = data;
        d.size = data.length;
        d.readOnly = readOnly;
        vm.frames().retarget(d.dataRegion, data, 0, data.length, !readOnly);
        return vm.mem.ptr(d.region, 0);
    }

    /** Makes the dynptr and pointers into its data stop working (the sample was released). */
    void clear(Dynptr d) {
        d.data = null;
        d.size = 0;
        vm.frames().retarget(d.dataRegion, null, 0, 0, false);
    }

    /** The live dynptr {@code ptr} stands for. */
    Dynptr get(long ptr, String helper) {
        Dynptr d = live.get(vm.mem.idOf(ptr));
        if (d == null || (int) ptr != 0 || d.data == null) {
            throw new VmException(-1, helper + ": " + Memory.hex(ptr) + " is not a pointer to an initialized dynptr");
        }
        return d;
    }

    /** {@code bpf_dynptr_check_off_len()}: whether {@code [offset, offset + len)} lies in the dynptr. */
    static boolean inside(Dynptr d, long offset, long len) {
        return len <= d.size && offset <= d.size - len;
    }

    void reset() {
        live.clear();
    }
}
