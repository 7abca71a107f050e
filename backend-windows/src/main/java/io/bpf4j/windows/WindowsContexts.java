package io.bpf4j.windows;

/**
 * The program contexts of eBPF for Windows' hooks: field offsets, sizes and return values, for
 * agents that write one program per operating system with the assembler. They differ from
 * Linux's in layout and in numbers (an XDP program that returns Linux's {@code XDP_PASS}, 2,
 * drops the packet on Windows), so a program built for one system reads the wrong fields on the
 * other. Offsets are for x64, where every field of these structs has its natural alignment.
 *
 * {@snippet :
 * // sock_addr on Windows: refuse connections to port 25 (the port is in network order)
 * long[] insns = new Asm()
 *         .ldx(Size.H, Register.R2, Register.R1, WindowsContexts.SockAddr.USER_PORT)
 *         .jeq(Register.R2, Short.reverseBytes((short) 25) & 0xffff, "deny")
 *         .mov64(Register.R0, WindowsContexts.SockAddr.PROCEED_SOFT).exit()
 *         .label("deny").mov64(Register.R0, WindowsContexts.SockAddr.REJECT).exit().toArray();
 * }
 */
public final class WindowsContexts {
    private WindowsContexts() {
    }

    /**
     * {@code bpf_sock_addr_t}, the context of the CGROUP_SOCK_ADDR hooks: include/ebpf_nethooks.h
     * at v1.5.0:121-152 (the same fields at Release-v0.21.0:67-98). Linux's {@code struct
     * bpf_sock_addr} starts with {@code user_family} and puts {@code user_ip4} at 4 and
     * {@code user_port} at 24; here the source address comes first.
     */
    public static final class SockAddr {
        /** {@code family}: the address family (u32). */
        public static final int FAMILY = 0;
        /** {@code msg_src_ip4}: the source IPv4 address, network order (u32). */
        public static final int MSG_SRC_IP4 = 4;
        /** {@code msg_src_ip6}: the source IPv6 address, network order (4 x u32). */
        public static final int MSG_SRC_IP6 = 4;
        /** {@code msg_src_port}: the source port, network order (u16). */
        public static final int MSG_SRC_PORT = 20;
        /** {@code user_ip4}: the destination IPv4 address, network order (u32). */
        public static final int USER_IP4 = 24;
        /** {@code user_ip6}: the destination IPv6 address, network order (4 x u32). */
        public static final int USER_IP6 = 24;
        /** {@code user_port}: the destination port, network order (u16). */
        public static final int USER_PORT = 40;
        /** {@code protocol}: the IP protocol (u32). */
        public static final int PROTOCOL = 44;
        /** {@code compartment_id}: the network compartment (u32). */
        public static final int COMPARTMENT_ID = 48;
        /** {@code interface_luid}: the interface (u64). */
        public static final int INTERFACE_LUID = 56;
        /** {@code sizeof(bpf_sock_addr_t)}. */
        public static final int SIZE = 64;
        /** {@code BPF_SOCK_ADDR_VERDICT_REJECT}; any value other than the three verdicts also rejects (@v1.5.0:264). */
        public static final int REJECT = 0;
        /** {@code BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT} (at 0.21.x, {@code BPF_SOCK_ADDR_VERDICT_PROCEED}, @Release-v0.21.0:58). */
        public static final int PROCEED_SOFT = 1;
        /** {@code BPF_SOCK_ADDR_VERDICT_PROCEED_HARD}, 1.0.0-rc1 and later (@v1.5.0:107-112). */
        public static final int PROCEED_HARD = 2;

        private SockAddr() {
        }
    }

    /**
     * {@code bpf_sock_ops_t}, the context of the CGROUP_SOCK_OPS hook: include/ebpf_nethooks.h at
     * v1.5.0:279-304 (the same at Release-v0.21.0:155-180). Linux's {@code struct bpf_sock_ops}
     * puts {@code args} at 4, {@code family} at 20 and the remote address before the local one.
     */
    public static final class SockOps {
        /** {@code op}: one of the {@code *_CB} values below (u32). */
        public static final int OP = 0;
        /** {@code family} (u32). */
        public static final int FAMILY = 4;
        /** {@code local_ip4}, network order (u32). */
        public static final int LOCAL_IP4 = 8;
        /** {@code local_ip6}, network order (4 x u32). */
        public static final int LOCAL_IP6 = 8;
        /** {@code local_port}, network order, in a u32. */
        public static final int LOCAL_PORT = 24;
        /** {@code remote_ip4}, network order (u32). */
        public static final int REMOTE_IP4 = 28;
        /** {@code remote_ip6}, network order (4 x u32). */
        public static final int REMOTE_IP6 = 28;
        /** {@code remote_port}, network order, in a u32. */
        public static final int REMOTE_PORT = 44;
        /** {@code protocol} (u8). */
        public static final int PROTOCOL = 48;
        /** {@code compartment_id} (u32). */
        public static final int COMPARTMENT_ID = 52;
        /** {@code interface_luid} (u64). */
        public static final int INTERFACE_LUID = 56;
        /** {@code sizeof(bpf_sock_ops_t)}. */
        public static final int SIZE = 64;
        /** {@code BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB} (@v1.5.0:272); Linux's is 4. */
        public static final int ACTIVE_ESTABLISHED_CB = 0;
        /** {@code BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB}; Linux's is 5. */
        public static final int PASSIVE_ESTABLISHED_CB = 1;
        /** {@code BPF_SOCK_OPS_CONNECTION_DELETED_CB}, Windows only. */
        public static final int CONNECTION_DELETED_CB = 2;

        private SockOps() {
        }
    }

    /**
     * {@code xdp_md_t}, the XDP context. xdp-for-windows defines it; eBPF for Windows' copy is
     * tests/include/xdp_hooks.h@v1.5.0:7-16 (its own XDP_TEST hook at 0.21.x had the same,
     * netebpfext/net_ebpf_ext_xdp_hooks.h@Release-v0.21.0:10-19). {@code data} and
     * {@code data_end} are 64-bit pointers here where Linux has 32-bit fields at 0 and 4, and
     * {@code ingress_ifindex} is at 24 (Linux: 12).
     */
    public static final class Xdp {
        /** {@code data}: the packet's first byte (a 64-bit pointer). */
        public static final int DATA = 0;
        /** {@code data_end}: one past its last byte (a 64-bit pointer). */
        public static final int DATA_END = 8;
        /** {@code data_meta} (u64). */
        public static final int DATA_META = 16;
        /** {@code ingress_ifindex} (u32). */
        public static final int INGRESS_IFINDEX = 24;
        /** {@code XDP_PASS} (tests/include/xdp_hooks.h@v1.5.0:18-23); Linux's is 2. */
        public static final int PASS = 1;
        /** {@code XDP_DROP}; Linux's is 1. */
        public static final int DROP = 2;
        /** {@code XDP_TX}; 3 on Linux too. */
        public static final int TX = 3;

        private Xdp() {
        }
    }

    /**
     * {@code bind_md_t}, the context of the Windows-only BIND hook: include/ebpf_nethooks.h at
     * v1.5.0:24-33. Programs of this type are loaded and attached with {@link WindowsBpf}, since
     * the portable enums have no bind program type.
     */
    public static final class Bind {
        /** {@code app_id_start} (a pointer). */
        public static final int APP_ID_START = 0;
        /** {@code app_id_end} (a pointer). */
        public static final int APP_ID_END = 8;
        /** {@code process_id} (u64). */
        public static final int PROCESS_ID = 16;
        /** {@code socket_address} (16 bytes). */
        public static final int SOCKET_ADDRESS = 24;
        /** {@code socket_address_length} (u8). */
        public static final int SOCKET_ADDRESS_LENGTH = 40;
        /** {@code operation}: bind 0, post-bind 1, unbind 2 (u32, @v1.5.0:17-22). */
        public static final int OPERATION = 44;
        /** {@code protocol} (u8). */
        public static final int PROTOCOL = 48;
        /** {@code sizeof(bind_md_t)}. */
        public static final int SIZE = 56;
        /** {@code BIND_PERMIT_SOFT}, also {@code BIND_PERMIT} (@v1.5.0:46-76). */
        public static final int PERMIT_SOFT = 0;
        /** {@code BIND_DENY}. */
        public static final int DENY = 1;
        /** {@code BIND_REDIRECT}. */
        public static final int REDIRECT = 2;
        /** {@code BIND_PERMIT_HARD}, 1.1.0 and later (absent at Release-v1.0.0-rc1). */
        public static final int PERMIT_HARD = 3;

        private Bind() {
        }
    }
}
