package io.bpf4j.linux.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramType;
import org.junit.jupiter.api.Test;

/** Pins every uapi number to its name, as {@code bpftool btf dump} prints them on Linux 6.18. */
class LinuxUapiTest {

    @Test
    void cmdNumbers() {
        assertEquals(0, LinuxUapi.cmd(Operation.MAP_CREATE));
        assertEquals(1, LinuxUapi.cmd(Operation.MAP_LOOKUP_ELEM));
        assertEquals(2, LinuxUapi.cmd(Operation.MAP_UPDATE_ELEM));
        assertEquals(3, LinuxUapi.cmd(Operation.MAP_DELETE_ELEM));
        assertEquals(4, LinuxUapi.cmd(Operation.MAP_GET_NEXT_KEY));
        assertEquals(5, LinuxUapi.cmd(Operation.PROG_LOAD));
        assertEquals(6, LinuxUapi.cmd(Operation.OBJ_PIN));
        assertEquals(7, LinuxUapi.cmd(Operation.OBJ_GET));
        assertEquals(8, LinuxUapi.cmd(Operation.PROG_ATTACH));
        assertEquals(9, LinuxUapi.cmd(Operation.PROG_DETACH));
        assertEquals(10, LinuxUapi.cmd(Operation.PROG_TEST_RUN));
        assertEquals(11, LinuxUapi.cmd(Operation.PROG_GET_NEXT_ID));
        assertEquals(12, LinuxUapi.cmd(Operation.MAP_GET_NEXT_ID));
        assertEquals(13, LinuxUapi.cmd(Operation.PROG_GET_FD_BY_ID));
        assertEquals(14, LinuxUapi.cmd(Operation.MAP_GET_FD_BY_ID));
        assertEquals(15, LinuxUapi.cmd(Operation.OBJ_GET_INFO_BY_FD));
        assertEquals(16, LinuxUapi.cmd(Operation.PROG_QUERY));
        assertEquals(17, LinuxUapi.cmd(Operation.RAW_TRACEPOINT_OPEN));
        assertEquals(18, LinuxUapi.cmd(Operation.BTF_LOAD));
        assertEquals(19, LinuxUapi.cmd(Operation.BTF_GET_FD_BY_ID));
        assertEquals(20, LinuxUapi.cmd(Operation.TASK_FD_QUERY));
        assertEquals(21, LinuxUapi.cmd(Operation.MAP_LOOKUP_AND_DELETE_ELEM));
        assertEquals(22, LinuxUapi.cmd(Operation.MAP_FREEZE));
        assertEquals(23, LinuxUapi.cmd(Operation.BTF_GET_NEXT_ID));
        assertEquals(24, LinuxUapi.cmd(Operation.MAP_LOOKUP_BATCH));
        assertEquals(25, LinuxUapi.cmd(Operation.MAP_LOOKUP_AND_DELETE_BATCH));
        assertEquals(26, LinuxUapi.cmd(Operation.MAP_UPDATE_BATCH));
        assertEquals(27, LinuxUapi.cmd(Operation.MAP_DELETE_BATCH));
        assertEquals(28, LinuxUapi.cmd(Operation.LINK_CREATE));
        assertEquals(29, LinuxUapi.cmd(Operation.LINK_UPDATE));
        assertEquals(30, LinuxUapi.cmd(Operation.LINK_GET_FD_BY_ID));
        assertEquals(31, LinuxUapi.cmd(Operation.LINK_GET_NEXT_ID));
        assertEquals(32, LinuxUapi.cmd(Operation.ENABLE_STATS));
        assertEquals(33, LinuxUapi.cmd(Operation.ITER_CREATE));
        assertEquals(34, LinuxUapi.cmd(Operation.LINK_DETACH));
        assertEquals(35, LinuxUapi.cmd(Operation.PROG_BIND_MAP));
        assertEquals(36, LinuxUapi.cmd(Operation.TOKEN_CREATE));
        assertEquals(37, LinuxUapi.cmd(Operation.PROG_STREAM_READ_BY_FD));
        assertEquals(45, Operation.values().length);
        // The ring, mapping and interface primitives come after the commands and have no number.
        for (Operation op : new Operation[] {Operation.RINGBUF_MAP, Operation.PERF_BUFFER_OPEN, Operation.RING_WAIT, Operation.MAP_MMAP,
                Operation.INTERFACE_INDEX, Operation.PROG_XLATED, Operation.PROG_JITED}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LinuxUapi.cmd(op));
        }
    }

    @Test
    void mapTypeNumbers() {
        assertEquals(0, LinuxUapi.mapType(MapType.UNSPEC));
        assertEquals(1, LinuxUapi.mapType(MapType.HASH));
        assertEquals(2, LinuxUapi.mapType(MapType.ARRAY));
        assertEquals(3, LinuxUapi.mapType(MapType.PROG_ARRAY));
        assertEquals(4, LinuxUapi.mapType(MapType.PERF_EVENT_ARRAY));
        assertEquals(5, LinuxUapi.mapType(MapType.PERCPU_HASH));
        assertEquals(6, LinuxUapi.mapType(MapType.PERCPU_ARRAY));
        assertEquals(7, LinuxUapi.mapType(MapType.STACK_TRACE));
        assertEquals(8, LinuxUapi.mapType(MapType.CGROUP_ARRAY));
        assertEquals(9, LinuxUapi.mapType(MapType.LRU_HASH));
        assertEquals(10, LinuxUapi.mapType(MapType.LRU_PERCPU_HASH));
        assertEquals(11, LinuxUapi.mapType(MapType.LPM_TRIE));
        assertEquals(12, LinuxUapi.mapType(MapType.ARRAY_OF_MAPS));
        assertEquals(13, LinuxUapi.mapType(MapType.HASH_OF_MAPS));
        assertEquals(14, LinuxUapi.mapType(MapType.DEVMAP));
        assertEquals(15, LinuxUapi.mapType(MapType.SOCKMAP));
        assertEquals(16, LinuxUapi.mapType(MapType.CPUMAP));
        assertEquals(17, LinuxUapi.mapType(MapType.XSKMAP));
        assertEquals(18, LinuxUapi.mapType(MapType.SOCKHASH));
        assertEquals(19, LinuxUapi.mapType(MapType.CGROUP_STORAGE));
        assertEquals(20, LinuxUapi.mapType(MapType.REUSEPORT_SOCKARRAY));
        assertEquals(21, LinuxUapi.mapType(MapType.PERCPU_CGROUP_STORAGE));
        assertEquals(22, LinuxUapi.mapType(MapType.QUEUE));
        assertEquals(23, LinuxUapi.mapType(MapType.STACK));
        assertEquals(24, LinuxUapi.mapType(MapType.SK_STORAGE));
        assertEquals(25, LinuxUapi.mapType(MapType.DEVMAP_HASH));
        assertEquals(26, LinuxUapi.mapType(MapType.STRUCT_OPS));
        assertEquals(27, LinuxUapi.mapType(MapType.RINGBUF));
        assertEquals(28, LinuxUapi.mapType(MapType.INODE_STORAGE));
        assertEquals(29, LinuxUapi.mapType(MapType.TASK_STORAGE));
        assertEquals(30, LinuxUapi.mapType(MapType.BLOOM_FILTER));
        assertEquals(31, LinuxUapi.mapType(MapType.USER_RINGBUF));
        assertEquals(32, LinuxUapi.mapType(MapType.CGRP_STORAGE));
        assertEquals(33, LinuxUapi.mapType(MapType.ARENA));
        assertEquals(34, MapType.values().length);
    }

    @Test
    void programTypeNumbers() {
        assertEquals(0, LinuxUapi.programType(ProgramType.UNSPEC));
        assertEquals(1, LinuxUapi.programType(ProgramType.SOCKET_FILTER));
        assertEquals(2, LinuxUapi.programType(ProgramType.KPROBE));
        assertEquals(3, LinuxUapi.programType(ProgramType.SCHED_CLS));
        assertEquals(4, LinuxUapi.programType(ProgramType.SCHED_ACT));
        assertEquals(5, LinuxUapi.programType(ProgramType.TRACEPOINT));
        assertEquals(6, LinuxUapi.programType(ProgramType.XDP));
        assertEquals(7, LinuxUapi.programType(ProgramType.PERF_EVENT));
        assertEquals(8, LinuxUapi.programType(ProgramType.CGROUP_SKB));
        assertEquals(9, LinuxUapi.programType(ProgramType.CGROUP_SOCK));
        assertEquals(10, LinuxUapi.programType(ProgramType.LWT_IN));
        assertEquals(11, LinuxUapi.programType(ProgramType.LWT_OUT));
        assertEquals(12, LinuxUapi.programType(ProgramType.LWT_XMIT));
        assertEquals(13, LinuxUapi.programType(ProgramType.SOCK_OPS));
        assertEquals(14, LinuxUapi.programType(ProgramType.SK_SKB));
        assertEquals(15, LinuxUapi.programType(ProgramType.CGROUP_DEVICE));
        assertEquals(16, LinuxUapi.programType(ProgramType.SK_MSG));
        assertEquals(17, LinuxUapi.programType(ProgramType.RAW_TRACEPOINT));
        assertEquals(18, LinuxUapi.programType(ProgramType.CGROUP_SOCK_ADDR));
        assertEquals(19, LinuxUapi.programType(ProgramType.LWT_SEG6LOCAL));
        assertEquals(20, LinuxUapi.programType(ProgramType.LIRC_MODE2));
        assertEquals(21, LinuxUapi.programType(ProgramType.SK_REUSEPORT));
        assertEquals(22, LinuxUapi.programType(ProgramType.FLOW_DISSECTOR));
        assertEquals(23, LinuxUapi.programType(ProgramType.CGROUP_SYSCTL));
        assertEquals(24, LinuxUapi.programType(ProgramType.RAW_TRACEPOINT_WRITABLE));
        assertEquals(25, LinuxUapi.programType(ProgramType.CGROUP_SOCKOPT));
        assertEquals(26, LinuxUapi.programType(ProgramType.TRACING));
        assertEquals(27, LinuxUapi.programType(ProgramType.STRUCT_OPS));
        assertEquals(28, LinuxUapi.programType(ProgramType.EXT));
        assertEquals(29, LinuxUapi.programType(ProgramType.LSM));
        assertEquals(30, LinuxUapi.programType(ProgramType.SK_LOOKUP));
        assertEquals(31, LinuxUapi.programType(ProgramType.SYSCALL));
        assertEquals(32, LinuxUapi.programType(ProgramType.NETFILTER));
        // Linux's 33, then eBPF for Windows' five, which have no Linux number.
        assertEquals(33 + 5, ProgramType.values().length);
        for (ProgramType t : ProgramType.values()) {
            if (!t.windowsOnly()) continue;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinuxUapi.programType(t));
            assertEquals("t: " + t + " is an eBPF for Windows only program type", e.getMessage());
        }
        // A number past NETFILTER (a newer kernel's type) is unknown, never a Windows type.
        assertEquals(ProgramType.NETFILTER, LinuxUapi.programType(32));
        assertEquals(ProgramType.UNSPEC, LinuxUapi.programType(33));
        assertEquals(ProgramType.UNSPEC, LinuxUapi.programType(37));
    }

    @Test
    void attachTypeNumbers() {
        assertEquals(0, LinuxUapi.attachType(AttachType.CGROUP_INET_INGRESS));
        assertEquals(1, LinuxUapi.attachType(AttachType.CGROUP_INET_EGRESS));
        assertEquals(2, LinuxUapi.attachType(AttachType.CGROUP_INET_SOCK_CREATE));
        assertEquals(3, LinuxUapi.attachType(AttachType.CGROUP_SOCK_OPS));
        assertEquals(4, LinuxUapi.attachType(AttachType.SK_SKB_STREAM_PARSER));
        assertEquals(5, LinuxUapi.attachType(AttachType.SK_SKB_STREAM_VERDICT));
        assertEquals(6, LinuxUapi.attachType(AttachType.CGROUP_DEVICE));
        assertEquals(7, LinuxUapi.attachType(AttachType.SK_MSG_VERDICT));
        assertEquals(8, LinuxUapi.attachType(AttachType.CGROUP_INET4_BIND));
        assertEquals(9, LinuxUapi.attachType(AttachType.CGROUP_INET6_BIND));
        assertEquals(10, LinuxUapi.attachType(AttachType.CGROUP_INET4_CONNECT));
        assertEquals(11, LinuxUapi.attachType(AttachType.CGROUP_INET6_CONNECT));
        assertEquals(12, LinuxUapi.attachType(AttachType.CGROUP_INET4_POST_BIND));
        assertEquals(13, LinuxUapi.attachType(AttachType.CGROUP_INET6_POST_BIND));
        assertEquals(14, LinuxUapi.attachType(AttachType.CGROUP_UDP4_SENDMSG));
        assertEquals(15, LinuxUapi.attachType(AttachType.CGROUP_UDP6_SENDMSG));
        assertEquals(16, LinuxUapi.attachType(AttachType.LIRC_MODE2));
        assertEquals(17, LinuxUapi.attachType(AttachType.FLOW_DISSECTOR));
        assertEquals(18, LinuxUapi.attachType(AttachType.CGROUP_SYSCTL));
        assertEquals(19, LinuxUapi.attachType(AttachType.CGROUP_UDP4_RECVMSG));
        assertEquals(20, LinuxUapi.attachType(AttachType.CGROUP_UDP6_RECVMSG));
        assertEquals(21, LinuxUapi.attachType(AttachType.CGROUP_GETSOCKOPT));
        assertEquals(22, LinuxUapi.attachType(AttachType.CGROUP_SETSOCKOPT));
        assertEquals(23, LinuxUapi.attachType(AttachType.TRACE_RAW_TP));
        assertEquals(24, LinuxUapi.attachType(AttachType.TRACE_FENTRY));
        assertEquals(25, LinuxUapi.attachType(AttachType.TRACE_FEXIT));
        assertEquals(26, LinuxUapi.attachType(AttachType.MODIFY_RETURN));
        assertEquals(27, LinuxUapi.attachType(AttachType.LSM_MAC));
        assertEquals(28, LinuxUapi.attachType(AttachType.TRACE_ITER));
        assertEquals(29, LinuxUapi.attachType(AttachType.CGROUP_INET4_GETPEERNAME));
        assertEquals(30, LinuxUapi.attachType(AttachType.CGROUP_INET6_GETPEERNAME));
        assertEquals(31, LinuxUapi.attachType(AttachType.CGROUP_INET4_GETSOCKNAME));
        assertEquals(32, LinuxUapi.attachType(AttachType.CGROUP_INET6_GETSOCKNAME));
        assertEquals(33, LinuxUapi.attachType(AttachType.XDP_DEVMAP));
        assertEquals(34, LinuxUapi.attachType(AttachType.CGROUP_INET_SOCK_RELEASE));
        assertEquals(35, LinuxUapi.attachType(AttachType.XDP_CPUMAP));
        assertEquals(36, LinuxUapi.attachType(AttachType.SK_LOOKUP));
        assertEquals(37, LinuxUapi.attachType(AttachType.XDP));
        assertEquals(38, LinuxUapi.attachType(AttachType.SK_SKB_VERDICT));
        assertEquals(39, LinuxUapi.attachType(AttachType.SK_REUSEPORT_SELECT));
        assertEquals(40, LinuxUapi.attachType(AttachType.SK_REUSEPORT_SELECT_OR_MIGRATE));
        assertEquals(41, LinuxUapi.attachType(AttachType.PERF_EVENT));
        assertEquals(42, LinuxUapi.attachType(AttachType.TRACE_KPROBE_MULTI));
        assertEquals(43, LinuxUapi.attachType(AttachType.LSM_CGROUP));
        assertEquals(44, LinuxUapi.attachType(AttachType.STRUCT_OPS));
        assertEquals(45, LinuxUapi.attachType(AttachType.NETFILTER));
        assertEquals(46, LinuxUapi.attachType(AttachType.TCX_INGRESS));
        assertEquals(47, LinuxUapi.attachType(AttachType.TCX_EGRESS));
        assertEquals(48, LinuxUapi.attachType(AttachType.TRACE_UPROBE_MULTI));
        assertEquals(49, LinuxUapi.attachType(AttachType.CGROUP_UNIX_CONNECT));
        assertEquals(50, LinuxUapi.attachType(AttachType.CGROUP_UNIX_SENDMSG));
        assertEquals(51, LinuxUapi.attachType(AttachType.CGROUP_UNIX_RECVMSG));
        assertEquals(52, LinuxUapi.attachType(AttachType.CGROUP_UNIX_GETPEERNAME));
        assertEquals(53, LinuxUapi.attachType(AttachType.CGROUP_UNIX_GETSOCKNAME));
        assertEquals(54, LinuxUapi.attachType(AttachType.NETKIT_PRIMARY));
        assertEquals(55, LinuxUapi.attachType(AttachType.NETKIT_PEER));
        assertEquals(56, LinuxUapi.attachType(AttachType.TRACE_KPROBE_SESSION));
        assertEquals(57, LinuxUapi.attachType(AttachType.TRACE_UPROBE_SESSION));
        assertEquals(58, AttachType.values().length);
    }

    @Test
    void linkTypeNumbers() {
        assertEquals(0, LinuxUapi.linkType(LinkType.UNSPEC));
        assertEquals(1, LinuxUapi.linkType(LinkType.RAW_TRACEPOINT));
        assertEquals(2, LinuxUapi.linkType(LinkType.TRACING));
        assertEquals(3, LinuxUapi.linkType(LinkType.CGROUP));
        assertEquals(4, LinuxUapi.linkType(LinkType.ITER));
        assertEquals(5, LinuxUapi.linkType(LinkType.NETNS));
        assertEquals(6, LinuxUapi.linkType(LinkType.XDP));
        assertEquals(7, LinuxUapi.linkType(LinkType.PERF_EVENT));
        assertEquals(8, LinuxUapi.linkType(LinkType.KPROBE_MULTI));
        assertEquals(9, LinuxUapi.linkType(LinkType.STRUCT_OPS));
        assertEquals(10, LinuxUapi.linkType(LinkType.NETFILTER));
        assertEquals(11, LinuxUapi.linkType(LinkType.TCX));
        assertEquals(12, LinuxUapi.linkType(LinkType.UPROBE_MULTI));
        assertEquals(13, LinuxUapi.linkType(LinkType.NETKIT));
        assertEquals(14, LinuxUapi.linkType(LinkType.SOCKMAP));
        assertEquals(15, LinkType.values().length);
    }
}
