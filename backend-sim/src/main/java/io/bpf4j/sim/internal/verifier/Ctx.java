package io.bpf4j.sim.internal.verifier;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Errno;
import io.bpf4j.api.ProgramType;

/**
 * Context access per program type (the kernel's {@code *_is_valid_access()}: {@code __sk_buff}
 * for socket filters, cgroup skb and tc programs, {@code xdp_md}, the read-only raw contexts of
 * tracing programs), and the other per-type facts the checks need: return-value ranges
 * ({@code check_return_code}), {@code LD_ABS} ({@code may_access_skb}) and packet writes
 * ({@code may_access_direct_pkt_data}). Layouts are Linux 6.18's on x86-64.
 */
final class Ctx {
    /** {@code sizeof(struct __sk_buff)}. */
    private static final int SKB = 192;
    /** {@code sizeof(struct pt_regs)} on x86-64. */
    private static final int PT_REGS = 168;

    private Ctx() {
    }

    static Reg access(Verifier v, int off, int size, boolean write, boolean sx) {
        Reg r;
        switch (v.type) {
            case SOCKET_FILTER:
            case CGROUP_SKB:
            case SCHED_CLS:
            case SCHED_ACT:
                r = skb(v.type, off, size, write);
                break;
            case XDP:
                r = xdp(v.eat, off, size, write);
                break;
            case KPROBE:
                r = !write && off >= 0 && off < PT_REGS && off % size == 0 && off + size <= PT_REGS ? Reg.ofSize(size, true) : null;
                break;
            case TRACEPOINT:
                r = !write && off >= 8 && off % size == 0 ? Reg.ofSize(size, true) : null;
                if (r != null && off >= 2048) r = Reg.any();
                break;
            case PERF_EVENT:
                r = !write && off >= 0 && off < PT_REGS + 16 && off % size == 0 && (off >= PT_REGS || size == 8) ? Reg.ofSize(size, true) : null;
                break;
            case RAW_TRACEPOINT:
                r = !write && off >= 0 && off < 96 && off % size == 0 ? Reg.ofSize(size, true) : null;
                break;
            case SYSCALL:
                r = off >= 0 && off < 0xffff && off % size == 0 ? Reg.ofSize(size, true) : null;
                break;
            case CGROUP_SOCK:
                // struct bpf_sock holds only 32-bit fields; which of them may be written is not modelled.
                v.note("context of " + v.type + " programs");
                return write ? null : sx ? Mem.loaded(size, true, false) : Reg.ofSize(Math.min(size, 4), true);
            default:
                v.note("context of " + v.type + " programs");
                return Reg.any();
        }
        if (r == null) Verifier.reject(Errno.EACCES, "invalid bpf_context access off=" + off + " size=" + size);
        if (sx && r.type == Reg.SCALAR) return Mem.loaded(size, true, false);
        return write ? null : r;
    }

    private static boolean in(int off, int from, int to) {
        return off >= from && off < to;
    }

    /** {@code sk_filter_is_valid_access}, {@code cg_skb_is_valid_access}, {@code tc_cls_act_is_valid_access}, then {@code bpf_skb_is_valid_access}. */
    private static Reg skb(ProgramType t, int off, int size, boolean write) {
        if (off < 0 || off >= SKB) return null;
        boolean tc = t == ProgramType.SCHED_CLS || t == ProgramType.SCHED_ACT;
        if (tc && off >= 180 && off < 184) return Reg.any();
        if (in(off, 169, 176)) return Reg.any();
        boolean cb = in(off, 48, 68);
        if (t == ProgramType.SOCKET_FILTER) {
            if (in(off, 72, 84) || in(off, 88, 144) || in(off, 152, 164) || in(off, 184, 192)) return null;
            if (write && !cb) return null;
        } else if (t == ProgramType.CGROUP_SKB) {
            if (in(off, 72, 76) || in(off, 140, 144) || in(off, 160, 164)) return null;
            if (write && !(in(off, 8, 12) || in(off, 32, 36) || cb || in(off, 152, 160))) return null;
        } else {
            if (write && !(in(off, 8, 16) || in(off, 44, 48) || in(off, 32, 36) || in(off, 72, 76) || cb || in(off, 152, 160))) return null;
            if (in(off, 88, 140)) return null;
        }
        if (off % size != 0) return null;
        if (cb) return off + size > 68 ? null : Reg.ofSize(size, true);
        if (off == 76 || off == 80 || off == 140) {
            if (size != 4) return null;
            return Reg.ptr(off == 76 ? Reg.PACKET : off == 80 ? Reg.PACKET_END : Reg.PACKET_META);
        }
        if (in(off, 144, 152)) return null;
        if (in(off, 184, 192)) return write || size != 8 ? null : Reg.ofSize(8, true);
        if (in(off, 152, 160)) return size != 8 ? null : Reg.ofSize(8, true);
        if (off == 168) return write || size != 8 ? null : Reg.any();
        if (in(off, 176, 184) && off >= 180) return null;
        if (write) return size != 4 ? null : Reg.ofSize(4, true);
        return size > 4 ? null : Reg.ofSize(size, true);
    }

    /** {@code xdp_is_valid_access}. */
    private static Reg xdp(AttachType eat, int off, int size, boolean write) {
        if (off == 20 && eat != AttachType.XDP_DEVMAP) return null;
        if (write) return null;
        if (off < 0 || off >= 24 || off % size != 0 || size != 4) return null;
        if (off == 0) return Reg.ptr(Reg.PACKET);
        if (off == 4) return Reg.ptr(Reg.PACKET_END);
        if (off == 8) return Reg.ptr(Reg.PACKET_META);
        return Reg.ofSize(4, true);
    }

    /** {@code check_return_code()}: the range r0 must be in at the main program's exit, or null for none. */
    static long[] returnRange(ProgramType t, AttachType eat) {
        switch (t) {
            case CGROUP_SKB:
                return eat == AttachType.CGROUP_INET_EGRESS ? new long[] {0, 3} : new long[] {0, 1};
            case CGROUP_SOCK_ADDR:
                if (eat == null) return new long[] {0, 1};
                switch (eat) {
                    case CGROUP_UDP4_RECVMSG: case CGROUP_UDP6_RECVMSG: case CGROUP_UNIX_RECVMSG:
                    case CGROUP_INET4_GETPEERNAME: case CGROUP_INET6_GETPEERNAME: case CGROUP_UNIX_GETPEERNAME:
                    case CGROUP_INET4_GETSOCKNAME: case CGROUP_INET6_GETSOCKNAME: case CGROUP_UNIX_GETSOCKNAME:
                        return new long[] {1, 1};
                    case CGROUP_INET4_BIND: case CGROUP_INET6_BIND:
                        return new long[] {0, 3};
                    default:
                        return new long[] {0, 1};
                }
            case CGROUP_SOCK:
            case SOCK_OPS:
            case CGROUP_DEVICE:
            case CGROUP_SYSCTL:
            case CGROUP_SOCKOPT:
            case SK_LOOKUP:
            case NETFILTER:
                return new long[] {0, 1};
            default:
                return null;
        }
    }

    static boolean mayLdAbs(ProgramType t) {
        return t == ProgramType.SOCKET_FILTER || t == ProgramType.SCHED_CLS || t == ProgramType.SCHED_ACT;
    }

    static boolean packetWritable(ProgramType t) {
        switch (t) {
            case LWT_IN: case LWT_OUT: case LWT_SEG6LOCAL: case SK_REUSEPORT: case FLOW_DISSECTOR: case CGROUP_SKB:
                return false;
            default:
                return true;
        }
    }
}
