package io.bpf4j.sim.internal.verifier;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapType;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.sim.internal.maps.SimMap;
import java.util.Set;

/**
 * Helper calls ({@code check_helper_call}, {@code check_func_arg}): argument types for the helpers
 * the simulator models, map compatibility, reference acquisition and release for ring buffer
 * reservations, return types, the scratch registers, and packet pointers invalidated by helpers
 * that may move packet data. Helpers it does not model are accepted with unjudged results.
 */
final class Calls {
    // Argument kinds, after the kernel's enum bpf_arg_type.
    private static final int ANYTHING = 1;
    private static final int MAP = 2;
    private static final int KEY = 3;
    private static final int VALUE = 4;
    private static final int UVALUE = 5;
    private static final int MEM = 6;
    private static final int UMEM = 7;
    private static final int SIZE = 8;
    private static final int SIZE0 = 9;
    private static final int CTX = 10;
    private static final int RBMEM = 11;
    private static final int ALLOC = 12;
    /** A static function's address ({@code ARG_PTR_TO_FUNC}). */
    private static final int FUNC = 13;
    /** A stack pointer or NULL ({@code ARG_PTR_TO_STACK_OR_NULL}): a callback's context. */
    private static final int STACK0 = 14;
    /** Memory or NULL, read ({@code ARG_PTR_TO_MEM | PTR_MAYBE_NULL}); NULL only with a zero size. */
    private static final int MEM0N = 15;
    /** Memory or NULL, written. */
    private static final int UMEM0N = 16;
    /** A constant string in a frozen read-only map ({@code ARG_PTR_TO_CONST_STR}). */
    private static final int CSTR = 17;
    /** A dynptr the helper initialises: local ({@code bpf_dynptr_from_mem}) or ring buffer. */
    private static final int DYN_LOCAL = 18;
    private static final int DYN_RINGBUF = 19;
    /** An initialised dynptr, of any kind or a ring buffer one the helper releases. */
    private static final int DYN = 20;
    private static final int DYN_RELEASE = 21;
    /** A referenced socket a release helper takes ({@code ARG_PTR_TO_BTF_ID_SOCK_COMMON | OBJ_RELEASE}). */
    private static final int SOCK = 22;
    /** A map value's {@code struct bpf_spin_lock} ({@code ARG_PTR_TO_SPIN_LOCK}). */
    private static final int SPIN_LOCK = 23;

    private static final String MEM_TYPES = "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_";

    /** Helpers that return an integer (RET_INTEGER), whose result the kernel does not narrow. */
    private static final Set<Integer> INTEGER = Set.of(2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 23, 25, 26, 28, 31,
            38, 39, 43, 44, 50, 51, 54, 65, 87, 88, 89, 112, 113, 125, 130, 134, 160, 164, 174, 181, 189, 190, 201, 202, 208, 209);
    /** Helpers whose integer result the kernel narrows ({@code do_refine_retval_range}). */
    private static final Set<Integer> NARROWED = Set.of(8, 45, 67, 114, 115, 141);
    /** Helpers with no result (RET_VOID): r0 is not readable after them. */
    private static final Set<Integer> VOID = Set.of(132, 133, 199, 200);
    /** Helpers that may move packet data ({@code bpf_helper_changes_pkt_data}). */
    private static final Set<Integer> CHANGES_PKT = Set.of(9, 10, 11, 13, 18, 19, 31, 38, 39, 43, 44, 50, 54, 65);

    private Calls() {
    }

    private static int[] proto(int id) {
        switch (id) {
            case 5: case 7: case 8: case 14: case 15: case 125: case 160: case 208: return new int[0];
            case 1: return new int[] {MAP, KEY};
            case 2: return new int[] {MAP, KEY, VALUE, ANYTHING};
            case 3: return new int[] {MAP, KEY};
            case 4: case 112: case 113: case 114: case 115: case 45: return new int[] {UMEM, SIZE0, ANYTHING};
            case 6: return new int[] {MEM, SIZE};
            case 9: return new int[] {CTX, ANYTHING, MEM, SIZE, ANYTHING};
            case 10: case 11: return new int[] {CTX, ANYTHING, ANYTHING, ANYTHING, ANYTHING};
            case 12: return new int[] {CTX, MAP, ANYTHING};
            case 16: return new int[] {UMEM, SIZE};
            case 25: return new int[] {CTX, MAP, ANYTHING, MEM, SIZE0};
            case 26: return new int[] {CTX, ANYTHING, UMEM, SIZE};
            case 87: return new int[] {MAP, VALUE, ANYTHING};
            case 88: case 89: return new int[] {MAP, UVALUE};
            case 130: return new int[] {MAP, MEM, SIZE0, ANYTHING};
            case 131: return new int[] {MAP, ALLOC, ANYTHING};
            case 132: case 133: return new int[] {RBMEM, ANYTHING};
            case 197: return new int[] {UMEM, SIZE0, ANYTHING, DYN_LOCAL};
            case 198: return new int[] {MAP, ANYTHING, ANYTHING, DYN_RINGBUF};
            case 199: case 200: return new int[] {DYN_RELEASE, ANYTHING};
            case 201: return new int[] {UMEM, SIZE0, DYN, ANYTHING, ANYTHING};
            case 202: return new int[] {DYN, ANYTHING, MEM, SIZE0, ANYTHING};
            case 203: return new int[] {DYN, ANYTHING, ALLOC};
            case 134: return new int[] {MAP, ANYTHING};
            case 164: case 209: return new int[] {MAP, FUNC, STACK0, ANYTHING};
            case 17: case 19: case 24: case 34: case 41: case 174: case 188: return new int[] {CTX};
            case 32: case 39: case 40: case 44: case 54: case 65: case 135: return new int[] {CTX, ANYTHING};
            case 18: case 31: case 38: case 43: return new int[] {CTX, ANYTHING, ANYTHING};
            case 50: return new int[] {CTX, ANYTHING, ANYTHING, ANYTHING};
            case 23: return new int[] {ANYTHING, ANYTHING};
            case 42: case 118: return new int[0];
            case 28: return new int[] {MEM0N, SIZE0, MEM0N, SIZE0, ANYTHING};
            case 67: return new int[] {CTX, UMEM, SIZE0, ANYTHING};
            case 68: return new int[] {CTX, ANYTHING, UMEM, SIZE, ANYTHING};
            case 189: return new int[] {CTX, ANYTHING, UMEM, SIZE};
            case 190: return new int[] {CTX, ANYTHING, MEM, SIZE};
            case 165: return new int[] {UMEM0N, SIZE0, CSTR, MEM0N, SIZE0};
            case 182: return new int[] {MEM, SIZE, CSTR};
            case 181: return new int[] {ANYTHING, FUNC, STACK0, ANYTHING};
            case 84: case 85: case 99: return new int[] {CTX, MEM, SIZE0, ANYTHING, ANYTHING};
            case 86: return new int[] {SOCK};
            case SpinLocks.LOCK: case SpinLocks.UNLOCK: return new int[] {SPIN_LOCK};
            case 51: return new int[] {MAP, ANYTHING, ANYTHING};
            default: return null;
        }
    }

    /**
     * One helper call; {@code s} goes on after it.
     *
     * @return the state at the entry of a callback the helper calls, or null
     */
    static VState helper(Verifier v, VState s, int id) {
        SpinLocks.beforeHelper(s, id);
        Helpers.checkAvailable(v, id);
        int[] p = proto(id);
        SimMap map = null;
        boolean mapKnown = false;
        int releasing = 0;
        long alloc = -1;
        int callback = -1;
        Reg dynptr = null;
        Reg cbCtx = null;
        if (p == null) {
            v.note("arguments of " + name(id));
            for (int r = 1; r <= 5; r++) {
                if (s.regs[r].type == Reg.STACK) {
                    // The helper may have written anything into the stack.
                    s.forget(s.regs[r].frame);
                }
            }
        } else {
            for (int i = 0; i < p.length; i++) {
                int r = i + 1;
                Reg g = Verifier.read(s, r);
                int kind = p[i];
                if (kind == STACK0) cbCtx = g.copy();
                if (kind == FUNC && g.func != 0) callback = g.func - 1;
                if (g.type == Reg.ANY) {
                    if (kind == RBMEM || kind == DYN_RINGBUF || kind == DYN_RELEASE || kind == SOCK) s.refsUnknown = true;
                    continue;
                }
                switch (kind) {
                    case MAP:
                        if (g.type != Reg.MAP_PTR) expected(r, g, "map_ptr");
                        map = g.map;
                        mapKnown = true;
                        if (map.readOnlyForPrograms() && (id == 2 || id == 3 || id == 87 || id == 88)) {
                            Verifier.reject(Errno.EACCES, "write into map forbidden");
                        }
                        break;
                    case KEY:
                    case VALUE:
                    case UVALUE:
                        if (!mapKnown) break;
                        int n0 = kind == KEY ? map.keySize() : map.valueSize();
                        checkMemType(r, g);
                        if (n0 == 0) Verifier.reject(Errno.EACCES, "invalid zero-sized read");
                        mem(v, s, r, g, n0, kind == UVALUE);
                        break;
                    case MEM0N:
                    case UMEM0N:
                        if (g.isConst() && g.umin == 0) {
                            // check_helper_mem_access(): NULL is allowed for zero bytes only.
                            Reg sz = Verifier.read(s, r + 1);
                            size(r + 1, sz, true);
                            if (sz.type == Reg.SCALAR && sz.umax != 0) {
                                Verifier.reject(Errno.EACCES, "R" + r + " type=scalar expected=" + MEM_TYPES, sz.exact);
                            }
                            break;
                        }
                        memArg(v, s, r, g, p[i + 1] == SIZE0, kind == UMEM0N);
                        break;
                    case MEM:
                    case UMEM:
                        memArg(v, s, r, g, p[i + 1] == SIZE0, kind == UMEM);
                        break;
                    case SIZE:
                    case SIZE0:
                        break;
                    case CTX:
                        if (g.type != Reg.CTX) expected(r, g, "ctx");
                        if (g.off != 0 || !g.fixed()) {
                            Verifier.reject(Errno.EACCES, "dereference of modified ctx ptr R" + r + " off=" + g.off + " disallowed");
                        }
                        break;
                    case RBMEM:
                        if (g.type != Reg.MEM || g.orNull) expected(r, g, "ringbuf_mem");
                        if (g.off != 0 || !g.fixed()) {
                            Verifier.reject(Errno.EACCES, "R" + r + " must have zero offset when passed to release func or trusted arg to kfunc");
                        }
                        releasing = g.ref;
                        break;
                    case DYN_LOCAL:
                        Dynptrs.init(v, s, r, g, Dynptrs.LOCAL, 0);
                        break;
                    case DYN_RINGBUF:
                        // The reservation holds a reference even when it fails (the dynptr is then NULL).
                        int ref = v.newId();
                        s.acquire(ref, s.pc);
                        Dynptrs.init(v, s, r, g, Dynptrs.RINGBUF, ref);
                        break;
                    case DYN:
                    case DYN_RELEASE:
                        Reg d = Dynptrs.use(s, r, g, kind == DYN_RELEASE ? Dynptrs.RINGBUF : 0);
                        if (d == null) {
                            if (kind == DYN_RELEASE) s.refsUnknown = true;
                        } else if (kind == DYN_RELEASE) {
                            releasing = d.ref;
                        } else {
                            dynptr = d;
                        }
                        break;
                    case CSTR:
                        constString(v, r, g, id);
                        break;
                    case FUNC:
                        if (g.func == 0) expected(r, g, "func");
                        callback = g.func - 1;
                        break;
                    case STACK0:
                        if (g.isConst() && g.umin == 0) break;
                        if (g.type != Reg.STACK) expected(r, g, "fp");
                        break;
                    case SPIN_LOCK:
                        SpinLocks.arg(v, s, g, id);
                        break;
                    case SOCK:
                        if (g.type != Reg.SOCKET || g.orNull) expected(r, g, "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_");
                        releasing = g.ref;
                        break;
                    case ALLOC:
                        if (g.type != Reg.SCALAR) expected(r, g, "scalar");
                        if (!g.isConst()) Verifier.reject(Errno.EACCES, "R" + r + " is not a known constant'", g.exact);
                        alloc = g.umin;
                        break;
                    default:
                }
            }
        }
        if (id == 197 && p != null) {
            // check_helper_call(): a local dynptr is made over a map value only.
            Reg data = s.regs[1];
            if (data.type != Reg.MAP_VALUE && data.type != Reg.ANY) {
                Verifier.reject(Errno.EACCES, "Unsupported reg type " + data.typeName() + " for bpf_dynptr_from_mem data");
            }
        }
        // check_map_func_compatibility() runs after the arguments are checked.
        if (mapKnown) Maps.checkFuncCompat(map, id);
        if (id == 12 && s.refs.length > 0 && !s.refsUnknown) {
            Verifier.reject(Errno.EINVAL, "tail_call would lead to reference leak");
        }
        if (releasing != 0) {
            if (!s.holds(releasing)) Verifier.reject(Errno.EINVAL, "R1 must be referenced when passed to release function");
            s.release(releasing);
        }
        if (CHANGES_PKT.contains(id)) {
            // clear_all_pkt_pointers(): packet pointers become unknown scalars.
            s.each(g -> g.type == Reg.PACKET || g.type == Reg.PACKET_END || g.type == Reg.PACKET_META ? Reg.unknown(true) : g);
        }
        // Read before the call clobbers r2.
        boolean neverNull = id == 1 && mapKnown && zeroKeyInBounds(s, map, Verifier.read(s, 2));
        Verifier.clobberCall(s);
        if (id == 1 && mapKnown) {
            if (map.type() == MapType.ARRAY_OF_MAPS || map.type() == MapType.HASH_OF_MAPS) {
                s.regs[0] = Reg.any();
            } else {
                Reg r0 = Reg.ptr(Reg.MAP_VALUE);
                r0.map = map;
                r0.orNull = !neverNull;
                r0.id = v.newId();
                s.regs[0] = r0;
            }
        } else if (id == 203 && alloc >= 0) {
            // bpf_dynptr_data(): memory of the asked size or NULL, gone with a ring buffer dynptr's reference.
            Reg r0 = Reg.ptr(Reg.MEM);
            r0.orNull = true;
            r0.size = (int) alloc;
            r0.id = v.newId();
            r0.ref = dynptr == null ? 0 : dynptr.ref;
            s.regs[0] = dynptr == null ? Reg.any() : r0;
        } else if (id == 131 && mapKnown && alloc >= 0) {
            Reg r0 = Reg.ptr(Reg.MEM);
            r0.orNull = true;
            r0.size = (int) alloc;
            r0.id = v.newId();
            r0.ref = r0.id;
            s.acquire(r0.id, s.pc);
            s.regs[0] = r0;
        } else if (id == 84 || id == 85 || id == 99) {
            // A socket or NULL, holding a reference the program must release (the simulator has no sockets: always NULL at run time).
            Reg r0 = Reg.ptr(Reg.SOCKET);
            r0.orNull = true;
            r0.id = v.newId();
            r0.ref = r0.id;
            s.acquire(r0.id, s.pc);
            s.regs[0] = r0;
        } else if (VOID.contains(id)) {
            s.regs[0] = Reg.notInit();
        } else if (INTEGER.contains(id)) {
            s.regs[0] = Reg.unknown(true);
        } else if (NARROWED.contains(id)) {
            s.regs[0] = Reg.unknown(false);
        } else {
            s.regs[0] = Reg.any();
        }
        if (callback < 0) return null;
        return Frames.callback(v, s, callback, id, callbackArgs(id, map, cbCtx));
    }

    /** What the kernel's {@code set_*_callback_state()} gives a helper's callback. */
    private static Reg[] callbackArgs(int id, SimMap map, Reg ctx) {
        Reg[] a = new Reg[6];
        for (int r = 1; r <= 5; r++) a[r] = Reg.notInit();
        switch (id) {
            case 181: // bpf_loop: (u64 index, void *ctx)
                a[1] = Reg.unknown(true);
                a[2] = ctx;
                break;
            case 164: // bpf_for_each_map_elem: (map, key, value, ctx)
                if (map == null) {
                    a[1] = Reg.any();
                    a[3] = Reg.any();
                } else {
                    a[1] = Reg.ptr(Reg.MAP_PTR);
                    a[1].map = map;
                    a[3] = Reg.ptr(Reg.MAP_VALUE);
                    a[3].map = map;
                }
                // A key pointer (PTR_TO_MAP_KEY) is not modelled.
                a[2] = Reg.any();
                a[4] = ctx;
                break;
            default: // bpf_user_ringbuf_drain: (const struct bpf_dynptr *, ctx)
                a[1] = Reg.any();
                a[2] = ctx;
        }
        return a;
    }

    /** A memory argument and the size after it ({@code check_mem_size_reg()}). */
    private static void memArg(Verifier v, VState s, int r, Reg g, boolean zeroOk, boolean write) {
        Reg size = Verifier.read(s, r + 1);
        long n = size(r + 1, size, zeroOk);
        checkMemType(r, g);
        if (n > 0) mem(v, s, r, g, n, write);
    }

    /** {@code check_reg_const_str()}: a NUL-terminated string in a frozen read-only map value at a constant offset. */
    private static void constString(Verifier v, int r, Reg g, int id) {
        if (g.type != Reg.MAP_VALUE || g.orNull) expected(r, g, "map_value");
        SimMap m = g.map;
        if ((m.flags() & io.bpf4j.api.MapFlags.RDONLY_PROG) == 0 || !m.frozen()) {
            Verifier.reject(Errno.EACCES, "R" + r + " does not point to a readonly map'");
        }
        if (!g.fixed()) Verifier.reject(Errno.EACCES, "R" + r + " is not a constant address'");
        if (m.type() != MapType.ARRAY) {
            v.note("constant strings in maps other than arrays");
            return;
        }
        byte[] value = new byte[m.userValueSize()];
        try {
            m.sysLookup(new byte[4], value);
        } catch (RuntimeException e) {
            v.note("constant strings the model cannot read");
            return;
        }
        boolean nul = false;
        for (long i = g.off; i >= 0 && i < m.valueSize() && i < value.length; i++) nul |= value[(int) i] == 0;
        if (!nul) Verifier.reject(Errno.EINVAL, "string is not zero-terminated");
        // bpf_snprintf's format is parsed by the kernel at load (bpf_bprintf_prepare()); the model does not.
        if (id == 165) v.note("snprintf format strings");
    }

    private static String name(int id) {
        Helper h = Helper.byId(id);
        return (h == null ? "unknown" : h.cName()) + "#" + id;
    }

    private static void expected(int r, Reg g, String want) {
        Verifier.reject(Errno.EACCES, "R" + r + " type=" + g.typeName() + " expected=" + want);
    }

    private static void checkMemType(int r, Reg g) {
        if (g.orNull || g.type == Reg.SCALAR || g.type == Reg.CTX || g.type == Reg.MAP_PTR || g.type == Reg.PACKET_END
                || g.type == Reg.SOCKET) {
            expected(r, g, MEM_TYPES);
        }
    }

    /** {@code check_mem_size_reg()}: the size argument's bounds; returns the largest size, or 0 when nothing is checked. */
    private static long size(int r, Reg g, boolean zeroOk) {
        if (g.type == Reg.ANY) return 0;
        if (g.type != Reg.SCALAR) expected(r, g, "scalar");
        if (g.smin < 0) Verifier.reject(Errno.EACCES, "R" + r + " min value is negative, either use unsigned or 'var &= const'", g.exact);
        if (g.umin == 0 && !zeroOk) {
            Verifier.reject(Errno.EACCES, "R" + r + " invalid zero-sized read: u64=[" + g.umin + "," + g.umax + "]", g.exact);
        }
        if (Long.compareUnsigned(g.umax, 1L << 29) >= 0) {
            Verifier.reject(Errno.EACCES, "R" + r + " unbounded memory access, use 'var &= const' or 'if (var < const)'", g.exact);
        }
        if (!g.exact) return 0;
        return g.umax;
    }

    /**
     * Whether an array lookup's key is one Linux 6.18 proves constant and in bounds, so that the
     * value pointer is never NULL ({@code can_elide_value_nullness()}, {@code
     * get_constant_map_key()}). Only one of the kernel's cases is modelled: a 4-byte key in the
     * upper half of a stack slot whose bytes are all known zeros. The kernel has those bytes as
     * {@code STACK_ZERO} (only an aligned store at the slot's start makes a spill, and it cannot
     * reach the upper half unless it is 8 bytes wide, which the model keeps as a spilled register),
     * and key 0 is inside every array. The kernel's other case, a key read from a spilled constant
     * of the key's size, is not modelled: the result stays "or NULL", so the simulator refuses
     * what such a program does without a NULL check (listed in the README).
     */
    private static boolean zeroKeyInBounds(VState s, SimMap map, Reg key) {
        if (map.type() != MapType.ARRAY && map.type() != MapType.PERCPU_ARRAY) return false;
        if (key.type != Reg.STACK || !key.fixed() || map.keySize() != 4) return false;
        long first = key.off + Mem.MAX_STACK;
        if (first < 0 || first + 4 > Mem.MAX_STACK || first % 8 != 4) return false;
        if (s.stackOf(key.frame)[(int) (first / 8)] != null) return false;
        byte[] bytes = s.bytesOf(key.frame);
        for (long b = first; b < first + 4; b++) if (bytes[(int) b] != 1) return false;
        return true;
    }

    /** {@code check_helper_mem_access()}: {@code n} bytes from the pointer, read or written by the helper. */
    private static void mem(Verifier v, VState s, int r, Reg g, long n, boolean write) {
        checkMemType(r, g);
        switch (g.type) {
            case Reg.STACK:
                long o = g.off;
                if (o < -Mem.MAX_STACK || o + n > 0) {
                    // check_stack_access_within_bounds(): a start outside the stack is EACCES, an end past its top EINVAL.
                    Verifier.reject(o < -Mem.MAX_STACK || o >= 0 ? Errno.EACCES : Errno.EINVAL,
                            "invalid " + (write ? "write to" : "read from") + " stack R" + r + " off=" + o + " size=" + n);
                }
                v.stackUsed(s, g.frame, o, s.speculative);
                Reg[] slots = s.stackOf(g.frame);
                for (long b = o; b < o + n; b++) {
                    Reg at = slots[(int) ((b + Mem.MAX_STACK) / 8)];
                    if (at == null || at.type != Reg.DYNPTR) continue;
                    // check_stack_range_initialized(): a dynptr's slots are neither read nor written as memory.
                    Verifier.reject(Errno.EACCES, write ? "potential write to dynptr at off=" + b + " disallowed"
                            : "invalid read from stack R" + r + " off " + o + "+0 size " + n);
                }
                if (write) {
                    Reg[] stack = s.stackOf(g.frame);
                    byte[] bytes = s.bytesOf(g.frame);
                    for (long b = o; b < o + n; b++) {
                        stack[(int) ((b + Mem.MAX_STACK) / 8)] = null;
                        bytes[(int) (b + Mem.MAX_STACK)] = 0;
                    }
                }
                break;
            case Reg.MAP_VALUE:
                if (write && g.map.readOnlyForPrograms()) {
                    Verifier.reject(Errno.EACCES, "write into map forbidden, value_size=" + g.map.valueSize() + " off=" + g.off + " size=" + n);
                }
                Mem.region(g, r, 0, (int) n, g.map.valueSize(), "map value, value_size=");
                SpinLocks.access(g, 0, n);
                break;
            case Reg.PACKET:
            case Reg.PACKET_META:
                if (write && !Ctx.packetWritable(v.type)) Verifier.reject(Errno.EACCES, "cannot write into packet");
                Mem.packet(g, r, 0, (int) n);
                break;
            case Reg.MEM:
                Mem.region(g, r, 0, (int) n, g.size, "memory, mem_size=");
                break;
            default:
        }
    }
}
