package io.bpf4j.sim.internal.vm;

import static io.bpf4j.api.asm.Opcodes.LOAD_ACQ;
import static io.bpf4j.api.asm.Opcodes.STORE_REL;

import java.util.Arrays;

/**
 * The interpreter loop: one {@code switch} on the opcode byte per instruction over the flat
 * arrays of a {@link VmProgram}, with no allocation and no boxing on the way.
 *
 * <p>Semantics follow the kernel's interpreter ({@code kernel/bpf/core.c}) after the verifier's
 * rewrites: division by zero gives 0, modulo by zero leaves the destination unchanged (the
 * 32-bit forms still zero-extend it), shift amounts are masked to the operand width (as Java's
 * shifts are), and every 32-bit operation zero-extends its result.
 */
final class Interpreter {
    private Interpreter() {}

    static final long M32 = 0xffffffffL;

    /**
     * Runs {@code entry} on {@code vm}'s registers until its main function exits.
     *
     * @return {@code r0}
     */
    static long exec(Vm vm, VmProgram entry) {
        vm.left = vm.budget;
        vm.credit = 0;
        return exec(vm, entry, 0, 0);
    }

    /**
     * Runs the function at {@code start} of {@code entry} in frame {@code base} until it exits:
     * the main program (frame 0), or a callback a helper calls ({@link Vm#callback}). Frames and
     * the instruction budget are the run's, shared with the frames below.
     *
     * @return {@code r0}
     */
    static long exec(Vm vm, VmProgram entry, int start, int base) {
        final long[] r = vm.regs;
        final Memory mem = vm.mem;
        VmProgram p = entry;
        int[] code = p.code;
        long[] k = p.k;
        int pc = start;
        int depth = base;
        final long budget = vm.budget;
        long left = vm.left;
        vm.enterFrame(base);
        try {
            for (;;) {
                if (--left < 0) {
                    throw new VmException(pc, p.describe(pc) + ": instruction budget of " + budget + " exhausted");
                }
                final int c = code[pc];
                final int d = (c >>> 8) & 0xf;
                final int s = (c >>> 12) & 0xf;
                switch (c & 0xff) {
                    case 0x07: r[d] += k[pc]; break;
                    case 0x17: r[d] -= k[pc]; break;
                    case 0x27: r[d] *= k[pc]; break;
                    case 0x37: r[d] = div64(r[d], k[pc], c); break;
                    case 0x47: r[d] |= k[pc]; break;
                    case 0x57: r[d] &= k[pc]; break;
                    case 0x67: r[d] <<= k[pc]; break;
                    case 0x77: r[d] >>>= k[pc]; break;
                    case 0x87: r[d] = -r[d]; break;
                    case 0x97: r[d] = mod64(r[d], k[pc], c); break;
                    case 0xa7: r[d] ^= k[pc]; break;
                    case 0xb7: r[d] = k[pc]; break;
                    case 0xc7: r[d] >>= k[pc]; break;
                    case 0xd7: r[d] = swap(r[d], (int) k[pc]); break;
                    case 0x0f: r[d] += r[s]; break;
                    case 0x1f: r[d] -= r[s]; break;
                    case 0x2f: r[d] *= r[s]; break;
                    case 0x3f: r[d] = div64(r[d], r[s], c); break;
                    case 0x4f: r[d] |= r[s]; break;
                    case 0x5f: r[d] &= r[s]; break;
                    case 0x6f: r[d] <<= r[s]; break;
                    case 0x7f: r[d] >>>= r[s]; break;
                    case 0x9f: r[d] = mod64(r[d], r[s], c); break;
                    case 0xaf: r[d] ^= r[s]; break;
                    case 0xbf: r[d] = movsx64(r[s], c); break;
                    case 0xcf: r[d] >>= r[s]; break;
                    case 0x04: r[d] = ((int) r[d] + (int) k[pc]) & M32; break;
                    case 0x14: r[d] = ((int) r[d] - (int) k[pc]) & M32; break;
                    case 0x24: r[d] = ((int) r[d] * (int) k[pc]) & M32; break;
                    case 0x34: r[d] = div32((int) r[d], (int) k[pc], c); break;
                    case 0x44: r[d] = ((int) r[d] | (int) k[pc]) & M32; break;
                    case 0x54: r[d] = ((int) r[d] & (int) k[pc]) & M32; break;
                    case 0x64: r[d] = ((int) r[d] << (int) k[pc]) & M32; break;
                    case 0x74: r[d] = ((int) r[d] >>> (int) k[pc]) & M32; break;
                    case 0x94: r[d] = mod32((int) r[d], (int) k[pc], c); break;
                    case 0xa4: r[d] = ((int) r[d] ^ (int) k[pc]) & M32; break;
                    case 0xb4: r[d] = (int) k[pc] & M32; break;
                    case 0xc4: r[d] = ((int) r[d] >> (int) k[pc]) & M32; break;
                    case 0x84: r[d] = -(int) r[d] & M32; break;
                    case 0xd4: r[d] = le(r[d], (int) k[pc]); break;
                    case 0xdc: r[d] = swap(r[d], (int) k[pc]); break;
                    case 0x0c: r[d] = ((int) r[d] + (int) r[s]) & M32; break;
                    case 0x1c: r[d] = ((int) r[d] - (int) r[s]) & M32; break;
                    case 0x2c: r[d] = ((int) r[d] * (int) r[s]) & M32; break;
                    case 0x3c: r[d] = div32((int) r[d], (int) r[s], c); break;
                    case 0x4c: r[d] = ((int) r[d] | (int) r[s]) & M32; break;
                    case 0x5c: r[d] = ((int) r[d] & (int) r[s]) & M32; break;
                    case 0x6c: r[d] = ((int) r[d] << (int) r[s]) & M32; break;
                    case 0x7c: r[d] = ((int) r[d] >>> (int) r[s]) & M32; break;
                    case 0x9c: r[d] = mod32((int) r[d], (int) r[s], c); break;
                    case 0xac: r[d] = ((int) r[d] ^ (int) r[s]) & M32; break;
                    case 0xbc: r[d] = movsx32(r[s], c); break;
                    case 0xcc: r[d] = ((int) r[d] >> (int) r[s]) & M32; break;
                    case 0x15: if (r[d] == k[pc]) { pc += c >> 16; } break;
                    case 0x1d: if (r[d] == r[s]) { pc += c >> 16; } break;
                    case 0x16: if ((int) r[d] == (int) k[pc]) { pc += c >> 16; } break;
                    case 0x1e: if ((int) r[d] == (int) r[s]) { pc += c >> 16; } break;
                    case 0x25: if (Long.compareUnsigned(r[d], k[pc]) > 0) { pc += c >> 16; } break;
                    case 0x2d: if (Long.compareUnsigned(r[d], r[s]) > 0) { pc += c >> 16; } break;
                    case 0x26: if (Integer.compareUnsigned((int) r[d], (int) k[pc]) > 0) { pc += c >> 16; } break;
                    case 0x2e: if (Integer.compareUnsigned((int) r[d], (int) r[s]) > 0) { pc += c >> 16; } break;
                    case 0x35: if (Long.compareUnsigned(r[d], k[pc]) >= 0) { pc += c >> 16; } break;
                    case 0x3d: if (Long.compareUnsigned(r[d], r[s]) >= 0) { pc += c >> 16; } break;
                    case 0x36: if (Integer.compareUnsigned((int) r[d], (int) k[pc]) >= 0) { pc += c >> 16; } break;
                    case 0x3e: if (Integer.compareUnsigned((int) r[d], (int) r[s]) >= 0) { pc += c >> 16; } break;
                    case 0x45: if ((r[d] & k[pc]) != 0) { pc += c >> 16; } break;
                    case 0x4d: if ((r[d] & r[s]) != 0) { pc += c >> 16; } break;
                    case 0x46: if (((int) r[d] & (int) k[pc]) != 0) { pc += c >> 16; } break;
                    case 0x4e: if (((int) r[d] & (int) r[s]) != 0) { pc += c >> 16; } break;
                    case 0x55: if (r[d] != k[pc]) { pc += c >> 16; } break;
                    case 0x5d: if (r[d] != r[s]) { pc += c >> 16; } break;
                    case 0x56: if ((int) r[d] != (int) k[pc]) { pc += c >> 16; } break;
                    case 0x5e: if ((int) r[d] != (int) r[s]) { pc += c >> 16; } break;
                    case 0x65: if (r[d] > k[pc]) { pc += c >> 16; } break;
                    case 0x6d: if (r[d] > r[s]) { pc += c >> 16; } break;
                    case 0x66: if ((int) r[d] > (int) k[pc]) { pc += c >> 16; } break;
                    case 0x6e: if ((int) r[d] > (int) r[s]) { pc += c >> 16; } break;
                    case 0x75: if (r[d] >= k[pc]) { pc += c >> 16; } break;
                    case 0x7d: if (r[d] >= r[s]) { pc += c >> 16; } break;
                    case 0x76: if ((int) r[d] >= (int) k[pc]) { pc += c >> 16; } break;
                    case 0x7e: if ((int) r[d] >= (int) r[s]) { pc += c >> 16; } break;
                    case 0xa5: if (Long.compareUnsigned(r[d], k[pc]) < 0) { pc += c >> 16; } break;
                    case 0xad: if (Long.compareUnsigned(r[d], r[s]) < 0) { pc += c >> 16; } break;
                    case 0xa6: if (Integer.compareUnsigned((int) r[d], (int) k[pc]) < 0) { pc += c >> 16; } break;
                    case 0xae: if (Integer.compareUnsigned((int) r[d], (int) r[s]) < 0) { pc += c >> 16; } break;
                    case 0xb5: if (Long.compareUnsigned(r[d], k[pc]) <= 0) { pc += c >> 16; } break;
                    case 0xbd: if (Long.compareUnsigned(r[d], r[s]) <= 0) { pc += c >> 16; } break;
                    case 0xb6: if (Integer.compareUnsigned((int) r[d], (int) k[pc]) <= 0) { pc += c >> 16; } break;
                    case 0xbe: if (Integer.compareUnsigned((int) r[d], (int) r[s]) <= 0) { pc += c >> 16; } break;
                    case 0xc5: if (r[d] < k[pc]) { pc += c >> 16; } break;
                    case 0xcd: if (r[d] < r[s]) { pc += c >> 16; } break;
                    case 0xc6: if ((int) r[d] < (int) k[pc]) { pc += c >> 16; } break;
                    case 0xce: if ((int) r[d] < (int) r[s]) { pc += c >> 16; } break;
                    case 0xd5: if (r[d] <= k[pc]) { pc += c >> 16; } break;
                    case 0xdd: if (r[d] <= r[s]) { pc += c >> 16; } break;
                    case 0xd6: if ((int) r[d] <= (int) k[pc]) { pc += c >> 16; } break;
                    case 0xde: if ((int) r[d] <= (int) r[s]) { pc += c >> 16; } break;
                    case 0x05: pc += c >> 16; break;
                    case 0xe5: {
                        // may_goto: Linux bounds the loop by time (a quarter of a second), not by
                        // a count the verifier checked, so each pass restarts the run's budget.
                        vm.credit += budget - left;
                        left = budget;
                        long n = vm.mayGoto[depth];
                        if (n == 0) n = vm.timedMayGoto(depth);
                        if (n == 0) {
                            pc += c >> 16;
                        } else {
                            vm.mayGoto[depth] = n - 1;
                        }
                        break;
                    }
                    case 0x06: pc += (int) k[pc]; break;
                    case 0x8d: {
                        // callx (only loaded with VmLoader.allowCallx): the helper id is in dst.
                        long id = r[d];
                        VmHelper[] hs = p.helpers;
                        if (id <= 0 || id >= hs.length || hs[(int) id] == null) {
                            throw new VmException(pc, p.describe(pc) + ": callx to helper " + id
                                    + ", which this program may not call");
                        }
                        vm.left = left;
                        vm.depth = depth;
                        r[0] = hs[(int) id].call(vm, r[1], r[2], r[3], r[4], r[5]);
                        left = vm.left;
                        if (vm.signal != 0) {
                            if (base != 0) {
                                throw vm.signalInCallback(pc);
                            }
                            if (vm.signal == Vm.SIGNAL_STOP) {
                                vm.signal = 0;
                                return vm.stopValue;
                            }
                            vm.signal = 0;
                            p = vm.takeTailCall(depth);
                            code = p.code;
                            k = p.k;
                            pc = -1;
                            vm.enterFrame(depth);
                        }
                        break;
                    }
                    case 0x85:
                        if (s == 0) {
                            vm.left = left;
                            vm.depth = depth;
                            r[0] = p.helpers[(int) k[pc]].call(vm, r[1], r[2], r[3], r[4], r[5]);
                            left = vm.left;
                            if (vm.signal != 0) {
                                if (base != 0) {
                                    throw vm.signalInCallback(pc);
                                }
                                if (vm.signal == Vm.SIGNAL_STOP) {
                                    vm.signal = 0;
                                    return vm.stopValue;
                                }
                                vm.signal = 0;
                                p = vm.takeTailCall(depth);
                                code = p.code;
                                k = p.k;
                                pc = -1;
                                vm.enterFrame(depth);
                            }
                        } else {
                            if (depth + 1 >= Memory.MAX_FRAMES) {
                                throw new VmException(pc, p.describe(pc) + ": the call stack of " + (depth + 2)
                                        + " frames is too deep");
                            }
                            vm.frameProg[depth] = p;
                            vm.frameRet[depth] = pc;
                            int b = depth * 4;
                            long[] saved = vm.frameSaved;
                            saved[b] = r[6];
                            saved[b + 1] = r[7];
                            saved[b + 2] = r[8];
                            saved[b + 3] = r[9];
                            depth++;
                            r[10] = mem.framePointer(depth);
                            Arrays.fill(mem.stack, depth * Memory.FRAME_SIZE, (depth + 1) * Memory.FRAME_SIZE, (byte) 0);
                            vm.enterFrame(depth);
                            pc += (int) k[pc];
                        }
                        break;
                    case 0x95:
                        if (depth == base) {
                            return r[0];
                        } else {
                            depth--;
                            int b = depth * 4;
                            long[] saved = vm.frameSaved;
                            r[6] = saved[b];
                            r[7] = saved[b + 1];
                            r[8] = saved[b + 2];
                            r[9] = saved[b + 3];
                            r[10] = mem.framePointer(depth);
                            VmProgram back = vm.frameProg[depth];
                            vm.frameProg[depth] = null;
                            if (back != p) {
                                p = back;
                                vm.enter(p);
                                code = p.code;
                                k = p.k;
                            }
                            pc = vm.frameRet[depth];
                        }
                        break;
                    case 0x61: r[d] = mem.load(r[s] + (c >> 16), 4); break;
                    case 0x69: r[d] = mem.load(r[s] + (c >> 16), 2); break;
                    case 0x71: r[d] = mem.load(r[s] + (c >> 16), 1); break;
                    case 0x79: r[d] = mem.load(r[s] + (c >> 16), 8); break;
                    case 0x81: r[d] = (int) mem.load(r[s] + (c >> 16), 4); break;
                    case 0x89: r[d] = (short) mem.load(r[s] + (c >> 16), 2); break;
                    case 0x91: r[d] = (byte) mem.load(r[s] + (c >> 16), 1); break;
                    case 0x62: mem.store(r[d] + (c >> 16), 4, k[pc]); break;
                    case 0x6a: mem.store(r[d] + (c >> 16), 2, k[pc]); break;
                    case 0x72: mem.store(r[d] + (c >> 16), 1, k[pc]); break;
                    case 0x7a: mem.store(r[d] + (c >> 16), 8, k[pc]); break;
                    case 0x63: mem.store(r[d] + (c >> 16), 4, r[s]); break;
                    case 0x6b: mem.store(r[d] + (c >> 16), 2, r[s]); break;
                    case 0x73: mem.store(r[d] + (c >> 16), 1, r[s]); break;
                    case 0x7b: mem.store(r[d] + (c >> 16), 8, r[s]); break;
                    case 0xc3: atomic(r, mem, c, d, s, (int) k[pc], 4); break;
                    case 0xdb: atomic(r, mem, c, d, s, (int) k[pc], 8); break;
                    case 0xcb: atomic(r, mem, c, d, s, (int) k[pc], 2); break;
                    case 0xd3: atomic(r, mem, c, d, s, (int) k[pc], 1); break;
                    case 0x18:
                        r[d] = s == 0 ? k[pc] : vm.pseudo(s, k[pc], (int) k[pc + 1]);
                        pc++;
                        break;
                    case 0x20:
                    case 0x28:
                    case 0x30:
                    case 0x40:
                    case 0x48:
                    case 0x50: {
                        long off = (int) k[pc] + ((c & 0x40) != 0 ? (int) r[s] : 0);
                        int n = (c & 0x18) == 0x10 ? 1 : (c & 0x18) == 0x08 ? 2 : 4;
                        long v = vm.legacyLoad(off, n);
                        if (v < 0) {
                            return 0;
                        }
                        r[0] = v;
                        break;
                    }
                    default:
                        throw new VmException(pc, p.describe(pc) + ": unknown opcode");
                }
                pc++;
            }
        } catch (Memory.Fault f) {
            throw new VmException(pc, p.describe(pc) + ": " + f.getMessage());
        } catch (VmException e) {
            if (e.pc() >= 0) {
                throw e;
            }
            throw new VmException(pc, p.describe(pc) + ": " + e.getMessage());
        } finally {
            // A callback that faulted has used instructions this frame's count does not know of.
            vm.left = Math.min(left, vm.left);
            if (base == 0) {
                vm.executed = budget - vm.left + vm.credit;
            }
        }
    }

    static long div64(long a, long b, int c) {
        if (b == 0) {
            return 0;
        }
        return (c >> 16) == 0 ? Long.divideUnsigned(a, b) : a / b;
    }

    static long mod64(long a, long b, int c) {
        if (b == 0) {
            return a;
        }
        return (c >> 16) == 0 ? Long.remainderUnsigned(a, b) : a % b;
    }

    static long div32(int a, int b, int c) {
        if (b == 0) {
            return 0;
        }
        return ((c >> 16) == 0 ? Integer.divideUnsigned(a, b) : a / b) & M32;
    }

    static long mod32(int a, int b, int c) {
        if (b == 0) {
            return a & M32;
        }
        return ((c >> 16) == 0 ? Integer.remainderUnsigned(a, b) : a % b) & M32;
    }

    static long movsx64(long v, int c) {
        switch (c >> 16) {
            case 8: return (byte) v;
            case 16: return (short) v;
            case 32: return (int) v;
            default: return v;
        }
    }

    static long movsx32(long v, int c) {
        switch (c >> 16) {
            case 8: return (byte) v & M32;
            case 16: return (short) v & M32;
            default: return v & M32;
        }
    }

    /** {@code le16/32/64} on a little-endian machine: only the truncation. */
    static long le(long v, int width) {
        switch (width) {
            case 16: return v & 0xffff;
            case 32: return v & M32;
            default: return v;
        }
    }

    /** {@code be16/32/64} and {@code bswap16/32/64}: reverse the low bytes, zero-extend. */
    static long swap(long v, int width) {
        switch (width) {
            case 16: return Short.reverseBytes((short) v) & 0xffff;
            case 32: return Integer.reverseBytes((int) v) & M32;
            default: return Long.reverseBytes(v);
        }
    }

    static void atomic(long[] r, Memory mem, int c, int d, int s, int imm, int n) {
        int off = c >> 16;
        if (imm == LOAD_ACQ) {
            r[d] = mem.load(r[s] + off, n);
            VarHandleFences.acquire();
            return;
        }
        if (imm == STORE_REL) {
            VarHandleFences.release();
            mem.store(r[d] + off, n, r[s]);
            return;
        }
        long a = r[d] + off;
        if (((int) a & (n - 1)) != 0) {
            throw new Memory.Fault("misaligned " + n + "-byte atomic access at " + Memory.hex(a));
        }
        int i = mem.span(a, n, true);
        byte[] m = mem.arr[mem.lastId];
        Atomics.apply(r, m, i, n, imm, s);
    }
}
