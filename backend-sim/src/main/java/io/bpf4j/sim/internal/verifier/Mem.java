package io.bpf4j.sim.internal.verifier;

import static io.bpf4j.api.asm.Opcodes.*;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapType;
import io.bpf4j.sim.internal.maps.SimMap;
import io.bpf4j.sim.internal.prog.Insns;

/**
 * Loads, stores and atomics ({@code check_mem_access}, {@code check_stack_read/write},
 * {@code check_map_access}, {@code check_packet_access}, {@code check_atomic}): the pointer's type
 * decides the rules, and the stack keeps spilled registers in their 8-byte slots.
 */
final class Mem {
    static final int MAX_STACK = 512;
    private static final long MAX_VAR_OFF = 1L << 29;

    private Mem() {
    }

    static void step(Verifier v, VState s, long x) {
        int c = Insns.cls(x);
        int size = Insns.bytes(x);
        int off = Insns.off(x);
        int d = Insns.dst(x);
        int sr = Insns.src(x);
        if (c == STX && Insns.mode(x) == ATOMIC) {
            atomic(v, s, x, d, sr, off, size);
            return;
        }
        if (c == LDX) {
            Reg base = Verifier.read(s, sr);
            s.regs[d] = access(v, s, sr, base, off, size, false, null, Insns.mode(x) == MEMSX);
            return;
        }
        Reg base = Verifier.read(s, d);
        Reg val;
        if (c == STX) {
            val = Verifier.read(s, sr);
        } else {
            val = Reg.constant(Insns.imm(x));
        }
        access(v, s, d, base, off, size, true, val, false);
    }

    private static void atomic(Verifier v, VState s, long x, int d, int sr, int off, int size) {
        int imm = Insns.imm(x);
        if (imm == LOAD_ACQ) {
            s.regs[d] = access(v, s, sr, Verifier.read(s, sr), off, size, false, null, false);
            return;
        }
        Reg base = Verifier.read(s, d);
        Reg val = Verifier.read(s, sr);
        if (imm == STORE_REL) {
            access(v, s, d, base, off, size, true, val, false);
            return;
        }
        if (imm == CMPXCHG) Verifier.read(s, 0);
        if (base.type == Reg.CTX || base.type == Reg.PACKET || base.type == Reg.PACKET_META) {
            Verifier.reject(Errno.EACCES, "BPF_ATOMIC stores into R" + d + " " + base.typeName() + " is not allowed");
        }
        access(v, s, d, base, off, size, false, null, false);
        access(v, s, d, base, off, size, true, Reg.unknown(false), false);
        if ((imm & FETCH) != 0) {
            Reg r = base.type == Reg.ANY ? Reg.any() : Reg.ofSize(size, false);
            s.regs[imm == CMPXCHG ? 0 : sr] = r;
        }
    }

    /** One access through {@code base}; a read returns the loaded value. */
    static Reg access(Verifier v, VState s, int regno, Reg base, int off, int size, boolean write, Reg val, boolean sx) {
        switch (base.type) {
            case Reg.ANY:
                return Reg.any();
            case Reg.SCALAR:
                Verifier.reject(Errno.EACCES, "R" + regno + " invalid mem access 'scalar'");
                return null;
            default:
        }
        if (base.type == Reg.MAP_PTR && !base.orNull) {
            // A map pointer reads struct bpf_map through kernel BTF, which the model does not hold.
            v.note("access to struct bpf_map through a map pointer");
            return Reg.any();
        }
        if (base.orNull || base.type == Reg.PACKET_END) {
            Verifier.reject(Errno.EACCES, "R" + regno + " invalid mem access '" + base.typeName() + "'");
        }
        switch (base.type) {
            case Reg.CTX:
                if (base.off != 0 || !base.fixed()) {
                    Verifier.reject(Errno.EACCES, "dereference of modified ctx ptr R" + regno + " off=" + base.off + " disallowed");
                }
                return Ctx.access(v, off, size, write, sx);
            case Reg.STACK:
                return stack(v, s, regno, base, off, size, write, val, sx);
            case Reg.MAP_VALUE:
                return mapValue(base, regno, off, size, write, sx);
            case Reg.PACKET:
            case Reg.PACKET_META:
                if (write && !Ctx.packetWritable(v.type)) Verifier.reject(Errno.EACCES, "cannot write into packet");
                packet(base, regno, off, size);
                return loaded(size, sx, true);
            case Reg.SOCKET:
                Sockets.access(regno, off, size, write);
                return loaded(size, sx, true);
            default: // MEM
                region(base, regno, off, size, base.size, "memory, mem_size=");
                return loaded(size, sx, true);
        }
    }

    static Reg loaded(int size, boolean sx, boolean exact) {
        if (!sx) return Reg.ofSize(size, exact);
        Reg r = Reg.unknown(false);
        r.smin = -(1L << (size * 8 - 1));
        r.smax = (1L << (size * 8 - 1)) - 1;
        r.sync();
        return r;
    }

    private static Reg stack(Verifier v, VState s, int regno, Reg base, int off, int size, boolean write, Reg val, boolean sx) {
        long o = base.off + off;
        if (o % size != 0) {
            Verifier.reject(Errno.EACCES, "misaligned stack access off (0x0; 0x0)+" + base.off + "+" + off + " size " + size);
        }
        if (o < -MAX_STACK || o + size > 0) {
            Verifier.reject(Errno.EACCES, "invalid " + (write ? "write to" : "read from") + " stack R" + regno + " off=" + o + " size=" + size);
        }
        int slot = (int) ((o + MAX_STACK) / 8);
        int first = (int) (o + MAX_STACK);
        // A pointer into a caller's frame reads and writes that frame's stack.
        Reg[] stack = s.stackOf(base.frame);
        byte[] bytes = s.bytesOf(base.frame);
        v.stackUsed(s, base.frame, o, s.speculative);
        Reg cur = stack[slot];
        if (write) {
            if (size != 8 && val != null && val.isPointer()) Verifier.reject(Errno.EACCES, "invalid size of register spill");
            if (base.frame != s.depth() && val != null && val.type == Reg.STACK) {
                Verifier.reject(Errno.EINVAL, "cannot spill pointers to stack into stack frame of the caller");
            }
            Dynptrs.overwrite(stack, slot);
            boolean spill = size == 8 && val != null && val.type != Reg.NOT_INIT;
            stack[slot] = spill ? val.copy() : null;
            // check_stack_write_fixed_off(): a narrow store of zero leaves zero bytes; one of
            // another scalar at the start of a slot is kept as a spill the model does not follow.
            byte mark = spill ? 0 : val != null && val.isConst() && val.umin == 0 ? (byte) 1
                    : val != null && val.type == Reg.SCALAR && first % 8 == 0 ? (byte) 2 : 0;
            for (int b = first; b < first + size; b++) bytes[b] = mark;
            if (!spill && size < 8 && cur != null) {
                // The rest of a spilled register's slot is now bytes of unknown value.
                for (int b = slot * 8; b < slot * 8 + 8; b++) if (b < first || b >= first + size) bytes[b] = 0;
            }
            return null;
        }
        if (cur != null && cur.type == Reg.ANY) return size == 8 && !sx ? cur.copy() : Reg.any();
        if (cur != null && cur.type == Reg.DYNPTR) {
            Verifier.reject(Errno.EACCES, "invalid read from stack off " + base.off + "+" + off + " size " + size);
        }
        if (cur != null && size == 8 && !sx) return cur.copy();
        if (cur != null && cur.isPointer()) Verifier.reject(Errno.EACCES, "invalid size of register fill");
        if (cur != null) return loaded(size, sx, false);
        boolean zero = true;
        boolean narrow = false;
        for (int b = first; b < first + size; b++) {
            zero &= bytes[b] == 1;
            narrow |= bytes[b] == 2;
        }
        if (zero) return Reg.constant(0);
        // A read wider than a narrow spill gives an unknown value; one that matches it restores what the kernel kept.
        return loaded(size, sx, !narrow || size == 8);
    }

    private static Reg mapValue(Reg base, int regno, int off, int size, boolean write, boolean sx) {
        SimMap m = base.map;
        long o = base.off + off;
        if (write && m.readOnlyForPrograms()) {
            Verifier.reject(Errno.EACCES, "write into map forbidden, value_size=" + m.valueSize() + " off=" + o + " size=" + size);
        }
        if (!write && (m.flags() & MapFlags.WRONLY_PROG) != 0) {
            Verifier.reject(Errno.EACCES, "read from map forbidden, value_size=" + m.valueSize() + " off=" + o + " size=" + size);
        }
        region(base, regno, off, size, m.valueSize(), "map value, value_size=");
        SpinLocks.access(base, off, size);
        if (write) return null;
        if (m.btfId() != 0) return Reg.any();
        if (m.readOnlyForPrograms() && m.frozen() && m.type() == MapType.ARRAY && base.fixed() && !sx) {
            // bpf_map_direct_read(): a frozen read-only array is read at load time.
            try {
                byte[] value = new byte[m.userValueSize()];
                m.sysLookup(new byte[4], value);
                long r = 0;
                for (int i = size - 1; i >= 0; i--) r = (r << 8) | (value[(int) o + i] & 0xff);
                return Reg.constant(r);
            } catch (RuntimeException e) {
                return loaded(size, false, false);
            }
        }
        return loaded(size, sx, true);
    }

    /** {@code check_mem_region_access()}: fixed and variable parts of the offset inside {@code limit} bytes. */
    static void region(Reg base, int regno, long off, int size, long limit, String what) {
        long o = base.off + off;
        if (base.fixed()) {
            if (o < 0 || o + size > limit) {
                Verifier.reject(Errno.EACCES, "invalid access to " + what + limit + " off=" + o + " size=" + size);
            }
            return;
        }
        if (base.smin < 0) {
            Verifier.reject(Errno.EACCES, "R" + regno + " min value is negative, either use unsigned index or do a if (index >=0) check.",
                    base.exact);
        }
        if (o + base.smin < 0 || o + base.smin + size > limit) {
            Verifier.reject(Errno.EACCES, "R" + regno + " min value is outside of the allowed memory range", base.exact);
        }
        if (Long.compareUnsigned(base.umax, MAX_VAR_OFF) >= 0) {
            Verifier.reject(Errno.EACCES, "R" + regno + " unbounded memory access, make sure to bounds check any such access", base.exact);
        }
        if (o + base.umax + size > limit) {
            Verifier.reject(Errno.EACCES, "R" + regno + " max value is outside of the allowed memory range", base.exact);
        }
    }

    /** {@code check_packet_access()}: the bytes must lie within the range proven against the packet end. */
    static void packet(Reg base, int regno, long off, int size) {
        if (base.smin < 0) {
            Verifier.reject(Errno.EACCES, "R" + regno + " min value is negative, either use unsigned index or do a if (index >=0) check.",
                    base.exact);
        }
        long o = base.off + off;
        if (o < 0 || o + size > base.range) {
            Verifier.reject(Errno.EACCES, "invalid access to packet, off=" + o + " size=" + size + ", R" + regno + "(id=" + base.id
                    + ",off=" + base.off + ",r=" + base.range + ")\nR" + regno + " offset is outside of the packet", base.exact);
        }
    }
}
