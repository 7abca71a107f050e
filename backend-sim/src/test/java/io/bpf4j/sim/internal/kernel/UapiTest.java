package io.bpf4j.sim.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import org.junit.jupiter.api.Test;

/** A sample of Linux 6.18's uapi numbers, as {@code bpftool btf dump file /sys/kernel/btf/vmlinux} prints them. */
class UapiTest {
    @Test
    void mapTypes() {
        assertEquals(1, Uapi.mapType(MapType.HASH));
        assertEquals(2, Uapi.mapType(MapType.ARRAY));
        assertEquals(3, Uapi.mapType(MapType.PROG_ARRAY));
        assertEquals(6, Uapi.mapType(MapType.PERCPU_ARRAY));
        assertEquals(11, Uapi.mapType(MapType.LPM_TRIE));
        assertEquals(13, Uapi.mapType(MapType.HASH_OF_MAPS));
        assertEquals(22, Uapi.mapType(MapType.QUEUE));
        assertEquals(27, Uapi.mapType(MapType.RINGBUF));
        assertEquals(30, Uapi.mapType(MapType.BLOOM_FILTER));
        assertEquals(33, Uapi.mapType(MapType.ARENA));
    }

    @Test
    void programTypes() {
        assertEquals(1, Uapi.programType(ProgramType.SOCKET_FILTER));
        assertEquals(6, Uapi.programType(ProgramType.XDP));
        assertEquals(8, Uapi.programType(ProgramType.CGROUP_SKB));
        assertEquals(17, Uapi.programType(ProgramType.RAW_TRACEPOINT));
        assertEquals(26, Uapi.programType(ProgramType.TRACING));
        assertEquals(31, Uapi.programType(ProgramType.SYSCALL));
        assertEquals(32, Uapi.programType(ProgramType.NETFILTER));
    }

    @Test
    void linkTypes() {
        assertEquals(1, Uapi.linkType(LinkType.RAW_TRACEPOINT));
        assertEquals(3, Uapi.linkType(LinkType.CGROUP));
        assertEquals(6, Uapi.linkType(LinkType.XDP));
        assertEquals(7, Uapi.linkType(LinkType.PERF_EVENT));
        assertEquals(11, Uapi.linkType(LinkType.TCX));
        assertEquals(13, Uapi.linkType(LinkType.NETKIT));
    }
}
