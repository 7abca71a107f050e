package io.bpf4j.sim.internal.verifier;

import io.bpf4j.sim.internal.maps.SimMap;

/**
 * One register's abstract value, after the kernel's {@code struct bpf_reg_state}: a type, a fixed
 * offset for pointers, unsigned and signed 64-bit bounds (a scalar's value, or a pointer's variable
 * part), and ids that link copies (null checks, packet ranges, scalar bounds).
 *
 * <p>{@link #exact} says the bounds are at least as tight as the kernel's. The kernel also tracks
 * known bits and 32-bit bounds; where this model cannot follow it marks the value inexact, and a
 * check that fails only on inexact bounds does not refuse the program.
 */
final class Reg {
    static final int NOT_INIT = 0;
    static final int SCALAR = 1;
    /** A value the model does not judge (BTF-typed pointers, unmodelled helper results): every use passes. */
    static final int ANY = 2;
    static final int CTX = 3;
    static final int STACK = 4;
    static final int MAP_PTR = 5;
    static final int MAP_VALUE = 6;
    static final int PACKET = 7;
    static final int PACKET_META = 8;
    static final int PACKET_END = 9;
    static final int MEM = 10;
    /** A stack slot of a dynptr (see {@link Dynptrs}); never in a register. */
    static final int DYNPTR = 11;
    /** A socket from a lookup helper ({@code PTR_TO_SOCKET}): {@code struct bpf_sock}, read-only. */
    static final int SOCKET = 12;

    static final long U32 = 0xffff_ffffL;

    int type;
    boolean orNull;
    boolean exact = true;
    /**
     * The kernel's known bits have holes (after a mask, shift or even product): the bounds are
     * right now, but a comparison lets the kernel narrow them further than intervals can.
     */
    boolean holes;
    /** Null-check id, packet id, or scalar link id. */
    int id;
    /** A linked scalar's offset from the value the link id names. */
    long delta;
    /** The reference this pointer holds (ring buffer memory), 0 for none. */
    int ref;
    SimMap map;
    /** Size of {@link #MEM} memory. */
    int size;
    /** Fixed offset of a pointer. */
    long off;
    /** Bytes proven inside the packet from its start ({@code reg->range}). */
    int range;
    /** The call frame a stack pointer points into ({@code reg->frameno}), 0 for the main program's. */
    int frame;
    /** A function's address from {@code ld_imm64}: its first instruction plus one, 0 for none. */
    int func;
    long umin;
    long umax = -1L;
    long smin = Long.MIN_VALUE;
    long smax = Long.MAX_VALUE;

    static Reg notInit() {
        return new Reg();
    }

    static Reg any() {
        Reg r = new Reg();
        r.type = ANY;
        return r;
    }

    static Reg unknown(boolean exact) {
        Reg r = new Reg();
        r.type = SCALAR;
        r.exact = exact;
        return r;
    }

    static Reg constant(long v) {
        Reg r = new Reg();
        r.type = SCALAR;
        r.umin = r.umax = r.smin = r.smax = v;
        return r;
    }

    /** An unsigned value of {@code bytes} bytes (a zero-extending load). */
    static Reg ofSize(int bytes, boolean exact) {
        Reg r = unknown(exact);
        if (bytes < 8) {
            r.umin = 0;
            r.umax = (1L << (bytes * 8)) - 1;
            r.smin = 0;
            r.smax = r.umax;
        }
        return r;
    }

    static Reg ptr(int type) {
        Reg r = new Reg();
        r.type = type;
        r.umin = 0;
        r.umax = 0;
        r.smin = 0;
        r.smax = 0;
        return r;
    }

    Reg copy() {
        Reg r = new Reg();
        r.type = type;
        r.orNull = orNull;
        r.exact = exact;
        r.holes = holes;
        r.id = id;
        r.delta = delta;
        r.ref = ref;
        r.map = map;
        r.size = size;
        r.off = off;
        r.range = range;
        r.frame = frame;
        r.func = func;
        r.umin = umin;
        r.umax = umax;
        r.smin = smin;
        r.smax = smax;
        return r;
    }

    boolean isConst() {
        return type == SCALAR && umin == umax;
    }

    boolean isPointer() {
        return type >= CTX;
    }

    /** Whether the variable part of a pointer is known to be zero. */
    boolean fixed() {
        return umin == 0 && umax == 0;
    }

    /** The smallest all-ones mask covering {@code v} (the known bits of a value loaded or masked to that bound). */
    static long ones(long v) {
        return v == 0 ? 0 : -1L >>> Long.numberOfLeadingZeros(v);
    }

    /** Makes the signed and unsigned bounds agree where one implies the other ({@code reg_bounds_sync}). */
    void sync() {
        if (Long.compareUnsigned(umax, Long.MAX_VALUE) <= 0 || umin < 0) {
            // The unsigned range does not cross the sign boundary: it is also a signed range.
            smin = Math.max(smin, umin);
            smax = Math.min(smax, umax);
        }
        if (smin >= 0 || smax < 0) {
            if (Long.compareUnsigned(smin, umin) > 0) umin = smin;
            if (Long.compareUnsigned(smax, umax) < 0) umax = smax;
        }
    }

    /** Whether the bounds hold no value (a branch that cannot be taken). */
    boolean empty() {
        return Long.compareUnsigned(umin, umax) > 0 || smin > smax;
    }

    String typeName() {
        String n;
        switch (type) {
            case SCALAR: return "scalar";
            case CTX: n = "ctx"; break;
            case STACK: n = "fp"; break;
            case MAP_PTR: n = "map_ptr"; break;
            case MAP_VALUE: n = "map_value"; break;
            case PACKET: n = "pkt"; break;
            case PACKET_META: n = "pkt_meta"; break;
            case PACKET_END: n = "pkt_end"; break;
            case MEM: n = "ringbuf_mem"; break;
            case DYNPTR: n = "dynptr"; break;
            case SOCKET: n = "sock"; break;
            default: n = "?";
        }
        return orNull ? n + "_or_null" : n;
    }

    boolean same(Reg r) {
        return type == r.type && orNull == r.orNull && umin == r.umin && umax == r.umax && smin == r.smin && smax == r.smax
                && off == r.off && map == r.map && size == r.size && range == r.range && (ref == 0) == (r.ref == 0)
                && frame == r.frame && func == r.func;
    }

    /** Whether this (an old state's register) covers {@code r}: every check that passed for this passes for it. */
    boolean covers(Reg r) {
        if (type == NOT_INIT) return true;
        // A function's address decides which callback is checked: it covers only the same one.
        if (type == ANY) return func == 0 || func == r.func;
        if (r.type != type || r.orNull != orNull || (!exact && r.exact)) return false;
        if (Long.compareUnsigned(umin, r.umin) > 0 || Long.compareUnsigned(r.umax, umax) > 0 || smin > r.smin || r.smax > smax) {
            return false;
        }
        if (type == SCALAR) return true;
        return off == r.off && map == r.map && size == r.size && range <= r.range && (ref == 0) == (r.ref == 0) && frame == r.frame;
    }
}
