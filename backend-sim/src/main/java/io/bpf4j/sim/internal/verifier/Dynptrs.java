package io.bpf4j.sim.internal.verifier;

import io.bpf4j.api.Errno;

/**
 * Dynptrs on the stack ({@code process_dynptr_func}, {@code mark_stack_slots_dynptr},
 * {@code destroy_if_dynptr_stack_slot}): a dynptr takes two 8-byte slots at a constant, aligned
 * offset of the frame it is in, each holding a {@link Reg#DYNPTR} marker (its kind in
 * {@link Reg#size}, its first slot in {@link Reg#off}); a ring buffer dynptr holds a reference
 * from its reservation until it is submitted or discarded. The slots cannot be read as memory,
 * and a referenced one cannot be overwritten.
 */
final class Dynptrs {
    static final int LOCAL = 1;
    static final int RINGBUF = 2;
    private static final int SIZE = 16;

    private Dynptrs() {
    }

    /** The first slot of the dynptr argument {@code g} in register {@code r}, after the kernel's offset checks. */
    private static int slot(int r, Reg g) {
        if (g.type != Reg.STACK) Verifier.reject(Errno.EACCES, "R" + r + " type=" + g.typeName() + " expected=fp, dynptr_ptr");
        if (!g.fixed()) Verifier.reject(Errno.EINVAL, "dynptr has to be at a constant offset");
        if (g.off % 8 != 0 || g.off > -SIZE) Verifier.reject(Errno.EINVAL, "cannot pass in dynptr at an offset=" + g.off);
        return (int) ((g.off + Mem.MAX_STACK) / 8);
    }

    /** A dynptr the helper initialises ({@code MEM_UNINIT}); {@code ref} is the reference it holds, or 0. */
    static void init(Verifier v, VState s, int r, Reg g, int kind, int ref) {
        if (g.type == Reg.ANY) return;
        int slot = slot(r, g);
        if (g.off < -Mem.MAX_STACK) {
            Verifier.reject(Errno.EACCES, "invalid write to stack R" + r + " off=" + g.off + " size=8");
        }
        Reg[] stack = s.stackOf(g.frame);
        byte[] bytes = s.bytesOf(g.frame);
        v.stackUsed(s, g.frame, g.off, s.speculative);
        destroy(stack, slot);
        destroy(stack, slot + 1);
        for (int i = 0; i < 2; i++) {
            Reg d = new Reg();
            d.type = Reg.DYNPTR;
            d.size = kind;
            d.off = slot;
            d.ref = ref;
            stack[slot + i] = d;
            for (int b = (slot + i) * 8; b < (slot + i) * 8 + 8; b++) bytes[b] = 0;
        }
    }

    /**
     * An initialised dynptr argument; {@code want} is the kind the helper needs, or 0 for any.
     *
     * @return its marker, or null when the model does not know it
     */
    static Reg use(VState s, int r, Reg g, int want) {
        if (g.type == Reg.ANY) return null;
        int slot = slot(r, g);
        if (g.off < -Mem.MAX_STACK) Verifier.reject(Errno.EINVAL, "Expected an initialized dynptr as arg #" + (r - 1));
        Reg[] stack = s.stackOf(g.frame);
        Reg d = stack[slot];
        if (d != null && d.type == Reg.ANY) return null;
        if (d == null || d.type != Reg.DYNPTR || d.off != slot || stack[slot + 1] == null || stack[slot + 1].type != Reg.DYNPTR) {
            Verifier.reject(Errno.EINVAL, "Expected an initialized dynptr as arg #" + (r - 1));
        }
        if (want != 0 && d.size != want) {
            Verifier.reject(Errno.EINVAL, "Expected a dynptr of type " + (want == RINGBUF ? "ringbuf" : "local") + " as arg #" + (r - 1));
        }
        return d;
    }

    /** A store over {@code slot} of a stack: a dynptr there is destroyed, or refused when it holds a reference. */
    static void overwrite(Reg[] stack, int slot) {
        destroy(stack, slot);
    }

    private static void destroy(Reg[] stack, int slot) {
        Reg d = stack[slot];
        if (d == null || d.type != Reg.DYNPTR) return;
        if (d.ref != 0) Verifier.reject(Errno.EINVAL, "cannot overwrite referenced dynptr");
        stack[(int) d.off] = null;
        stack[(int) d.off + 1] = null;
    }
}
