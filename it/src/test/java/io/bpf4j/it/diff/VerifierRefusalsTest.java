package io.bpf4j.it.diff;

import static io.bpf4j.api.asm.Opcodes.PSEUDO_FUNC;
import static io.bpf4j.api.asm.Register.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramFlags;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Size;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-written programs on both sides of the verifier's line, each loaded on the kernel and on
 * the simulator: the expected outcome (accepted, or the errno) must be the kernel's, and the
 * simulator's must equal it. The categories are those where the simulator once loaded programs
 * the kernel refuses: helpers a program type lacks, packet reads without or past a
 * {@code data_end} check, context fields per type, return values, read-only maps, NULL map
 * values, ring buffer references, stack bounds and pointer arithmetic; and programs the kernel
 * accepts that a careless verifier would refuse.
 */
class VerifierRefusalsTest {
    private static final MapSpec HASH = MapSpec.of(MapType.HASH, 4, 8, 4);
    private static final MapSpec RING = MapSpec.of(MapType.RINGBUF, 0, 0, 4096);
    private static final MapSpec ARRAY = MapSpec.of(MapType.ARRAY, 4, 8, 1);

    static List<Object[]> cases() {
        List<Object[]> c = new ArrayList<>();
        // Helpers per program type.
        add(c, "EINVAL", new VerifierCase("XDP calls skb_store_bytes", ProgramType.XDP, m -> new Asm()
                .mov64(R2, 0).mov64(R3, R10).add64(R3, -8).stdw(R10, -8, 0).mov64(R4, 4).mov64(R5, 0)
                .call(Helper.SKB_STORE_BYTES).mov64(R0, 2).exit().toArray()));
        add(c, "EINVAL", new VerifierCase("socket filter calls csum_diff", ProgramType.SOCKET_FILTER, m -> new Asm()
                .mov64(R1, 0).mov64(R2, 0).mov64(R3, 0).mov64(R4, 0).mov64(R5, 0)
                .call(Helper.CSUM_DIFF).mov64(R0, 0).exit().toArray()));
        add(c, "ok", new VerifierCase("tc calls skb_store_bytes", ProgramType.SCHED_CLS, m -> new Asm()
                .mov64(R2, 0).mov64(R3, R10).add64(R3, -8).stdw(R10, -8, 0).mov64(R4, 4).mov64(R5, 0)
                .call(Helper.SKB_STORE_BYTES).mov64(R0, 0).exit().toArray()));
        // Packet access.
        add(c, "EACCES", new VerifierCase("XDP packet read without data_end check", ProgramType.XDP, m -> new Asm()
                .ldxw(R2, R1, 0).ldxb(R0, R2, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("XDP packet read past a short data_end check", ProgramType.XDP, m -> new Asm()
                .ldxw(R2, R1, 0).ldxw(R3, R1, 4).mov64(R4, R2).add64(R4, 4).jgt(R4, R3, "out")
                .ldxw(R0, R2, 2).exit().label("out").mov64(R0, 2).exit().toArray()));
        add(c, "ok", new VerifierCase("XDP packet read inside a data_end check", ProgramType.XDP, m -> new Asm()
                .ldxw(R2, R1, 0).ldxw(R3, R1, 4).mov64(R4, R2).add64(R4, 6).jgt(R4, R3, "out")
                .ldxw(R0, R2, 2).stb(R2, 5, 1).mov64(R0, 2).exit().label("out").mov64(R0, 2).exit().toArray()));
        add(c, "ok", new VerifierCase("XDP data_end check with the end on the left", ProgramType.XDP, m -> new Asm()
                .ldxw(R2, R1, 0).ldxw(R3, R1, 4).mov64(R4, R2).add64(R4, 14).jlt(R3, R4, "out")
                .ldxh(R0, R2, 12).exit().label("out").mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("cgroup skb writes into the packet", ProgramType.CGROUP_SKB, m -> new Asm()
                .ldxw(R2, R1, 76).ldxw(R3, R1, 80).mov64(R4, R2).add64(R4, 4).jgt(R4, R3, "out")
                .stb(R2, 0, 1).label("out").mov64(R0, 1).exit().toArray()));
        add(c, "EACCES", new VerifierCase("packet pointer used after skb_pull_data", ProgramType.SCHED_CLS, m -> new Asm()
                .mov64(R6, R1).ldxw(R7, R1, 76).ldxw(R3, R1, 80).mov64(R4, R7).add64(R4, 4).jgt(R4, R3, "out")
                .mov64(R1, R6).mov64(R2, 0).call(Helper.SKB_PULL_DATA).ldxb(R0, R7, 0).exit()
                .label("out").mov64(R0, 0).exit().toArray()));
        // Context fields.
        add(c, "EACCES", new VerifierCase("tc writes skb->len", ProgramType.SCHED_CLS, m -> new Asm()
                .mov64(R2, 0).stxw(R1, 0, R2).mov64(R0, 0).exit().toArray()));
        add(c, "ok", new VerifierCase("tc writes skb->mark with an immediate store", ProgramType.SCHED_CLS, m -> new Asm()
                .stw(R1, 8, 7).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("socket filter writes skb->mark", ProgramType.SOCKET_FILTER, m -> new Asm()
                .mov64(R2, 0).stxw(R1, 8, R2).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("socket filter reads skb->data", ProgramType.SOCKET_FILTER, m -> new Asm()
                .ldxw(R0, R1, 76).exit().toArray()));
        add(c, "EACCES", new VerifierCase("XDP reads 8 bytes of xdp_md", ProgramType.XDP, m -> new Asm()
                .ldxdw(R0, R1, 0).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("XDP reads egress_ifindex outside devmap", ProgramType.XDP, m -> new Asm()
                .ldxw(R0, R1, 20).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("XDP writes xdp_md", ProgramType.XDP, m -> new Asm()
                .mov64(R2, 0).stxw(R1, 12, R2).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("kprobe writes pt_regs", ProgramType.KPROBE, m -> new Asm()
                .mov64(R2, 0).stxdw(R1, 0, R2).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("kprobe reads past pt_regs", ProgramType.KPROBE, m -> new Asm()
                .ldxdw(R0, R1, 168).exit().toArray()));
        add(c, "ok", new VerifierCase("kprobe reads the last register", ProgramType.KPROBE, m -> new Asm()
                .ldxdw(R0, R1, 160).exit().toArray()));
        add(c, "ok", new VerifierCase("perf event reads sample_period", ProgramType.PERF_EVENT, m -> new Asm()
                .ldxdw(R0, R1, 168).mov64(R0, 0).exit().toArray()));
        add(c, "ok", new VerifierCase("XDP metadata read behind a check against data", ProgramType.XDP, m -> new Asm()
                .ldxw(R2, R1, 8).ldxw(R3, R1, 0).mov64(R4, R2).add64(R4, 4).jgt(R4, R3, "out")
                .ldxw(R0, R2, 0).label("out").mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("XDP metadata read without a check", ProgramType.XDP, m -> new Asm()
                .ldxw(R2, R1, 8).ldxw(R0, R2, 0).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("tracepoint context written with an immediate", ProgramType.TRACEPOINT, m -> new Asm()
                .stdw(R1, 8, 0).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("tracepoint reads the common fields", ProgramType.TRACEPOINT, m -> new Asm()
                .ldxdw(R0, R1, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("raw tracepoint reads past twelve arguments", ProgramType.RAW_TRACEPOINT, m -> new Asm()
                .ldxdw(R0, R1, 96).exit().toArray()));
        add(c, "EACCES", new VerifierCase("modified context pointer dereferenced", ProgramType.SCHED_CLS, m -> new Asm()
                .add64(R1, 8).ldxw(R0, R1, 0).exit().toArray()));
        // Return values.
        add(c, "EINVAL", new VerifierCase("cgroup skb ingress returns 2", ProgramType.CGROUP_SKB, m -> new Asm()
                .mov64(R0, 2).exit().toArray()));
        add(c, "ok", new VerifierCase("cgroup skb egress returns 3", ProgramType.CGROUP_SKB, m -> new Asm()
                .mov64(R0, 3).exit().toArray()).eat(AttachType.CGROUP_INET_EGRESS));
        add(c, "EINVAL", new VerifierCase("cgroup sock create returns a map value bound", ProgramType.CGROUP_SOCK, m -> new Asm()
                .ldxw(R0, R1, 8).exit().toArray()).eat(AttachType.CGROUP_INET_SOCK_CREATE));
        add(c, "ok", new VerifierCase("XDP returns a stack pointer", ProgramType.XDP, m -> new Asm()
                .mov64(R0, R10).exit().toArray()));
        // Maps.
        add(c, "EACCES", new VerifierCase("store into a RDONLY_PROG map value", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").stw(R0, 0, 1).label("out").mov64(R0, 2).exit().toArray(),
                HASH.withFlags(MapFlags.RDONLY_PROG)));
        add(c, "EACCES", new VerifierCase("bpf_map_update_elem on a RDONLY_PROG map", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).stdw(R10, -16, 0).stdw(R10, -24, 0).mov64(R2, R10).add64(R2, -4).mov64(R3, R10).add64(R3, -24)
                .mov64(R4, 0).ldMapFd(R1, m[0]).call(Helper.MAP_UPDATE_ELEM).mov64(R0, 2).exit().toArray(),
                HASH.withFlags(MapFlags.RDONLY_PROG)));
        add(c, "EACCES", new VerifierCase("bpf_map_delete_elem on a RDONLY_PROG map", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_DELETE_ELEM).mov64(R0, 2).exit()
                .toArray(), HASH.withFlags(MapFlags.RDONLY_PROG)));
        add(c, "ok", new VerifierCase("lookup in a WRONLY_PROG map", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM).mov64(R0, 2).exit()
                .toArray(), HASH.withFlags(MapFlags.WRONLY_PROG)));
        add(c, "EACCES", new VerifierCase("map value dereferenced without a NULL check", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .ldxdw(R0, R0, 0).mov64(R0, 2).exit().toArray(), HASH));
        // Linux 6.18 proves an array lookup of a constant key in bounds never NULL.
        MapSpec array = MapSpec.of(MapType.ARRAY, 4, 8, 2);
        add(c, "ok", new VerifierCase("array value of key 0 (zero stack bytes) used without a NULL check", ProgramType.XDP,
                m -> new Asm().stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                        .ldxdw(R0, R0, 0).mov64(R0, 2).exit().toArray(), array));
        add(c, "ok", new VerifierCase("array value of key 0 stored from a register, used without a NULL check", ProgramType.XDP,
                m -> new Asm().mov64(R3, 0).stxw(R10, -4, R3).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0])
                        .call(Helper.MAP_LOOKUP_ELEM).add64(R0, 4).ldxw(R0, R0, 0).mov64(R0, 2).exit().toArray(), array));
        add(c, "EACCES", new VerifierCase("array value of an unknown key used without a NULL check", ProgramType.XDP,
                m -> new Asm().call(Helper.GET_PRANDOM_U32).stxw(R10, -4, R0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0])
                        .call(Helper.MAP_LOOKUP_ELEM).ldxdw(R0, R0, 0).mov64(R0, 2).exit().toArray(), array));
        add(c, "EACCES", new VerifierCase("array value of key 0 in a slot written partly", ProgramType.XDP,
                m -> new Asm().sth(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                        .ldxdw(R0, R0, 0).mov64(R0, 2).exit().toArray(), array));
        add(c, "ok", new VerifierCase("a copy of a checked map value", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .mov64(R6, R0).jne(R0, 0, "ok").mov64(R0, 2).exit()
                .label("ok").ldxdw(R0, R6, 0).mov64(R0, 2).exit().toArray(), HASH));
        add(c, "EACCES", new VerifierCase("map value read past its size", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").ldxw(R1, R0, 6).label("out").mov64(R0, 2).exit().toArray(), HASH));
        add(c, "ok", new VerifierCase("map value indexed by a masked value", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").ldxw(R1, R0, 0).and64(R1, 7).add64(R0, R1).stb(R0, 0, 1)
                .label("out").mov64(R0, 2).exit().toArray(), HASH));
        add(c, "EACCES", new VerifierCase("map value indexed past its size", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").ldxw(R1, R0, 0).and64(R1, 15).add64(R0, R1).stb(R0, 0, 1)
                .label("out").mov64(R0, 2).exit().toArray(), HASH));
        add(c, "EINVAL", new VerifierCase("key reaching past the stack's top", ProgramType.XDP, m -> new Asm()
                .mov64(R2, R10).add64(R2, -2).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM).mov64(R0, 2).exit().toArray(), HASH));
        add(c, "EINVAL", new VerifierCase("get_current_comm into a buffer past the stack's top", ProgramType.KPROBE, m -> new Asm()
                .mov64(R1, R10).add64(R1, -8).mov64(R2, 16).call(Helper.GET_CURRENT_COMM).mov64(R0, 0).exit().toArray()));
        add(c, "ok", new VerifierCase("uninitialised stack as a key", ProgramType.XDP, m -> new Asm()
                .mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .mov64(R0, 2).exit().toArray(), HASH));
        add(c, "EACCES", new VerifierCase("a scalar as a key", ProgramType.XDP, m -> new Asm()
                .mov64(R2, 0).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM).mov64(R0, 2).exit().toArray(), HASH));
        // The zero key size is found before the map type (arguments, then map compatibility).
        add(c, "EACCES", new VerifierCase("lookup in a ring buffer", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .mov64(R0, 2).exit().toArray(), RING));
        add(c, "EINVAL", new VerifierCase("lookup in a prog array", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .mov64(R0, 2).exit().toArray(), MapSpec.of(MapType.PROG_ARRAY, 4, 4, 4)));
        add(c, "EINVAL", new VerifierCase("tail call through a hash map", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R2, m[0]).mov64(R3, 0).call(Helper.TAIL_CALL).mov64(R0, 2).exit().toArray(), HASH));
        add(c, "EINVAL", new VerifierCase("sleepable program uses a bloom filter", ProgramType.SYSCALL, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R0, 0).exit().toArray(), MapSpec.of(MapType.BLOOM_FILTER, 0, 4, 4))
                .flags(ProgramFlags.SLEEPABLE));
        add(c, "EINVAL", new VerifierCase("sleepable program uses an LPM trie", ProgramType.SYSCALL, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R0, 0).exit().toArray(),
                MapSpec.of(MapType.LPM_TRIE, 8, 4, 4).withFlags(MapFlags.NO_PREALLOC)).flags(ProgramFlags.SLEEPABLE));
        add(c, "EINVAL", new VerifierCase("sleepable program uses a prog array", ProgramType.SYSCALL, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R0, 0).exit().toArray(), MapSpec.of(MapType.PROG_ARRAY, 4, 4, 4))
                .flags(ProgramFlags.SLEEPABLE));
        add(c, "EACCES", new VerifierCase("arithmetic on a map value before its NULL check", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .add64(R0, 4).mov64(R0, 2).exit().toArray(), HASH));
        // Ring buffer references.
        add(c, "EINVAL", new VerifierCase("tail call while holding a reservation", ProgramType.XDP, m -> new Asm()
                .mov64(R6, R1).ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).jeq(R0, 0, "out")
                .mov64(R7, R0).mov64(R1, R6).ldMapFd(R2, m[1]).mov64(R3, 0).call(Helper.TAIL_CALL)
                .mov64(R1, R7).mov64(R2, 0).call(Helper.RINGBUF_DISCARD).label("out").mov64(R0, 2).exit().toArray(),
                RING, MapSpec.of(MapType.PROG_ARRAY, 4, 4, 4)));
        add(c, "EINVAL", new VerifierCase("ring buffer reservation never submitted", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).mov64(R0, 2).exit().toArray(), RING));
        add(c, "EINVAL", new VerifierCase("ring buffer reservation submitted on one path", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).jeq(R0, 0, "out")
                .mov64(R6, R0).call(Helper.GET_PRANDOM_U32).jeq(R0, 1, "out")
                .mov64(R1, R6).mov64(R2, 0).call(Helper.RINGBUF_SUBMIT).label("out").mov64(R0, 2).exit().toArray(), RING));
        add(c, "ok", new VerifierCase("ring buffer reservation submitted", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).jeq(R0, 0, "out")
                .stdw(R0, 0, 1).mov64(R1, R0).mov64(R2, 0).call(Helper.RINGBUF_SUBMIT).label("out").mov64(R0, 2).exit().toArray(),
                RING));
        add(c, "EACCES", new VerifierCase("ring buffer reservation submitted unchecked", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE)
                .mov64(R1, R0).mov64(R2, 0).call(Helper.RINGBUF_SUBMIT).mov64(R0, 2).exit().toArray(), RING));
        add(c, "EACCES", new VerifierCase("r0 read after ringbuf_submit", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).jeq(R0, 0, "out")
                .mov64(R1, R0).mov64(R2, 0).call(Helper.RINGBUF_SUBMIT).exit().label("out").mov64(R0, 2).exit().toArray(), RING));
        // Stack and pointer arithmetic.
        add(c, "EACCES", new VerifierCase("store above the frame", ProgramType.XDP, m -> new Asm()
                .stdw(R10, 0, 0).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("store below the 512-byte stack", ProgramType.XDP, m -> new Asm()
                .stdw(R10, -520, 0).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("misaligned stack store", ProgramType.XDP, m -> new Asm()
                .stdw(R10, -12, 0).mov64(R0, 2).exit().toArray()));
        add(c, "ok", new VerifierCase("uninitialised stack read", ProgramType.XDP, m -> new Asm()
                .ldxdw(R0, R10, -8).mov64(R0, 2).exit().toArray()));
        add(c, "ok", new VerifierCase("spilled pointer filled and used", ProgramType.XDP, m -> new Asm()
                .stxdw(R10, -8, R1).ldxdw(R2, R10, -8).ldxw(R0, R2, 12).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("context pointer multiplied", ProgramType.XDP, m -> new Asm()
                .mul64(R1, 2).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("32-bit add to a pointer", ProgramType.XDP, m -> new Asm()
                .add32(R1, 1).mov64(R0, 2).exit().toArray()));
        add(c, "ok", new VerifierCase("pointer minus pointer", ProgramType.XDP, m -> new Asm()
                .mov64(R0, R10).sub64(R0, R1).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("scalar dereferenced", ProgramType.XDP, m -> new Asm()
                .mov64(R1, 0).ldxdw(R0, R1, 0).exit().toArray()));
        // Root programs read struct bpf_map through the map pointer (kernel BTF).
        add(c, "ok", new VerifierCase("map pointer dereferenced", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).ldxdw(R0, R1, 0).mov64(R0, 2).exit().toArray(), HASH));
        add(c, "EINVAL", new VerifierCase("LD_ABS in XDP", ProgramType.XDP, m -> new Asm()
                .mov64(R6, R1).ldAbs(Size.B, 0).mov64(R0, 2).exit().toArray()));
        // Paths the kernel proves dead are not checked.
        add(c, "ok", new VerifierCase("uninitialised register read on a dead path", ProgramType.XDP, m -> new Asm()
                .mov64(R0, 0).jeq(R0, 1, "dead").mov64(R0, 2).exit().label("dead").mov64(R0, R5).exit().toArray()));
        add(c, "ok", new VerifierCase("scalar dereferenced on a path a bound rules out", ProgramType.XDP, m -> new Asm()
                .ldxw(R2, R1, 12).and64(R2, 3).jgt(R2, 5, "dead").mov64(R0, 2).exit()
                .label("dead").ldxdw(R0, R2, 0).exit().toArray()));
        add(c, "EINVAL", new VerifierCase("NULL branch that loops on itself", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 3).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .label("again").jeq(R0, 0, "again").mov64(R0, 2).exit().toArray(), HASH));
        add(c, "ok", new VerifierCase("bounded loop", ProgramType.XDP, m -> new Asm()
                .mov64(R0, 0).mov64(R1, 0).label("loop").add64(R0, R1).add64(R1, 1).jlt(R1, 100, "loop")
                .mov64(R0, 2).exit().toArray()));
        // Linux 6.18 folds no division and keeps no bounds through it.
        add(c, "EACCES", new VerifierCase("a quotient of constants decides no branch", ProgramType.XDP, m -> new Asm()
                .mov64(R1, 10).div64(R1, 3).jeq(R1, 3, "ok").ldxdw(R0, R1, 0).exit().label("ok").mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("a remainder is not bounded by the divisor", ProgramType.XDP, m -> new Asm()
                .ldxw(R1, R1, 12).mod64(R1, 3).jgt(R1, 2, "bad").mov64(R0, 2).exit().label("bad").ldxdw(R0, R1, 0).exit().toArray()));
        add(c, "ok", new VerifierCase("a product of constants decides a branch", ProgramType.XDP, m -> new Asm()
                .mov64(R1, 10).mul64(R1, 3).jeq(R1, 30, "ok").ldxdw(R0, R1, 0).exit().label("ok").mov64(R0, 2).exit().toArray()));
        // One path walked instruction by instruction on both sides: 999,999 instructions load,
        // 1,000,001 are past the kernel's complexity limit (about ten seconds each on the kernel).
        add(c, "ok", new VerifierCase("a counting loop just under the complexity limit", ProgramType.XDP, m -> new Asm()
                .mov64(R1, 0).label("loop").add64(R1, 1).jlt(R1, 499_998, "loop").mov64(R0, 2).exit().toArray()));
        add(c, "E2BIG", new VerifierCase("a counting loop past the complexity limit", ProgramType.XDP, m -> new Asm()
                .mov64(R1, 0).label("loop").add64(R1, 1).jlt(R1, 499_999, "loop").mov64(R0, 2).exit().toArray()));
        // may_goto (BPF_JMP | BPF_JCOND), which the assembler has no mnemonic for.
        add(c, "ok", new VerifierCase("may_goto bounds a counting loop", ProgramType.XDP, m -> new long[] {
            raw(0xb7, 0, 0, 0, 0), raw(0xe5, 0, 0, 2, 0), raw(0x07, 0, 0, 0, 1), raw(0xa5, 0, 0, -3, 100), raw(0x95, 0, 0, 0, 0)}));
        add(c, "ok", new VerifierCase("a loop only may_goto ends", ProgramType.XDP, m -> new long[] {
            raw(0xb7, 0, 0, 0, 0), raw(0xe5, 0, 0, 2, 0), raw(0x07, 0, 0, 0, 1), raw(0x05, 0, 0, -3, 0), raw(0x95, 0, 0, 0, 0)}));
        add(c, "EINVAL", new VerifierCase("may_goto with an immediate", ProgramType.XDP, m -> new long[] {
            raw(0xb7, 0, 0, 0, 0), raw(0xe5, 0, 0, 0, 1), raw(0x95, 0, 0, 0, 0)}));
        add(c, "EINVAL", new VerifierCase("may_goto with a destination register", ProgramType.XDP, m -> new long[] {
            raw(0xb7, 0, 0, 0, 0), raw(0xe5, 1, 0, 0, 0), raw(0x95, 0, 0, 0, 0)}));
        add(c, "EACCES", new VerifierCase("an uninitialised register read after a may_goto loop", ProgramType.XDP, m -> new long[] {
            raw(0xb7, 0, 0, 0, 0), raw(0xe5, 0, 0, 1, 0), raw(0x05, 0, 0, -2, 0), raw(0xbf, 0, 2, 0, 0), raw(0x95, 0, 0, 0, 0)}));
        calls(c);
        helperArgs(c);
        SpinLockCases.cases(c);
        return c;
    }

    /** Argument types of helpers beyond the map and ring buffer ones. */
    private static void helperArgs(List<Object[]> c) {
        dynptrs(c);
        add(c, "ok", new VerifierCase("csum_diff of stack bytes", ProgramType.SCHED_CLS, m -> new Asm()
                .stdw(R10, -8, 0).mov64(R1, R10).add64(R1, -8).mov64(R2, 4).mov64(R3, 0).mov64(R4, 0).mov64(R5, 0)
                .call(Helper.CSUM_DIFF).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("csum_diff of the context", ProgramType.SCHED_CLS, m -> new Asm()
                .mov64(R2, 4).mov64(R3, 0).mov64(R4, 0).mov64(R5, 0)
                .call(Helper.CSUM_DIFF).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("csum_diff of NULL with 4 bytes", ProgramType.SCHED_CLS, m -> new Asm()
                .mov64(R1, 0).mov64(R2, 4).mov64(R3, 0).mov64(R4, 0).mov64(R5, 0)
                .call(Helper.CSUM_DIFF).mov64(R0, 0).exit().toArray()));
        add(c, "EINVAL", new VerifierCase("csum_diff past the stack's top", ProgramType.SCHED_CLS, m -> new Asm()
                .stdw(R10, -8, 0).mov64(R1, R10).add64(R1, -8).mov64(R2, 12).mov64(R3, 0).mov64(R4, 0).mov64(R5, 0)
                .call(Helper.CSUM_DIFF).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("get_stack into a scalar", ProgramType.KPROBE, m -> new Asm()
                .mov64(R2, 0).mov64(R3, 8).mov64(R4, 0).call(Helper.GET_STACK).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("xdp_adjust_head of a stack pointer", ProgramType.XDP, m -> new Asm()
                .mov64(R1, R10).mov64(R2, 0).call(Helper.XDP_ADJUST_HEAD).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("strncmp with a stack string", ProgramType.KPROBE, m -> new Asm()
                .stdw(R10, -8, 0).mov64(R1, R10).add64(R1, -8).mov64(R2, 4).mov64(R3, R10).add64(R3, -8)
                .call(Helper.STRNCMP).mov64(R0, 0).exit().toArray()));
    }

    /** bpf-to-bpf calls and callbacks, checked in their caller's context. */
    private static void calls(List<Object[]> c) {
        add(c, "ok", new VerifierCase("callee writes its caller's stack", ProgramType.XDP, m -> new Asm()
                .mov64(R1, R10).add64(R1, -8).callLocal("f").ldxdw(R0, R10, -8).mov64(R0, 2).exit()
                .label("f").stdw(R1, 0, 7).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("callee writes past its caller's frame", ProgramType.XDP, m -> new Asm()
                .mov64(R1, R10).add64(R1, -8).callLocal("f").mov64(R0, 2).exit()
                .label("f").stdw(R1, 8, 7).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("callee dereferences a scalar argument", ProgramType.XDP, m -> new Asm()
                .mov64(R1, 8).callLocal("f").mov64(R0, 2).exit()
                .label("f").ldxdw(R0, R1, 0).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("callee reads a map value past its end", ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").mov64(R1, R0).callLocal("f").label("out").mov64(R0, 2).exit()
                .label("f").ldxdw(R0, R1, 8).mov64(R0, 0).exit().toArray(), HASH));
        add(c, "EACCES", new VerifierCase("caller reads a callee's result as a pointer", ProgramType.XDP, m -> new Asm()
                .callLocal("f").ldxdw(R0, R0, 0).mov64(R0, 2).exit()
                .label("f").mov64(R0, 0).exit().toArray()));
        add(c, "EINVAL", new VerifierCase("callee returns its own stack pointer", ProgramType.XDP, m -> new Asm()
                .callLocal("f").mov64(R0, 2).exit()
                .label("f").mov64(R0, R10).add64(R0, -8).exit().toArray()));
        add(c, "EINVAL", new VerifierCase("callee spills its stack pointer into its caller's frame", ProgramType.XDP, m -> new Asm()
                .mov64(R1, R10).add64(R1, -8).callLocal("f").mov64(R0, 2).exit()
                .label("f").mov64(R2, R10).add64(R2, -8).stxdw(R1, 0, R2).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("caller's r1 is scratch after a call", ProgramType.XDP, m -> new Asm()
                .mov64(R1, 1).callLocal("f").mov64(R0, R1).mov64(R0, 2).exit()
                .label("f").mov64(R0, 0).exit().toArray()));
        add(c, "ok", new VerifierCase("caller's r6 survives a call", ProgramType.XDP, m -> new Asm()
                .mov64(R6, R10).add64(R6, -8).callLocal("f").stdw(R6, 0, 1).mov64(R0, 2).exit()
                .label("f").mov64(R6, 5).mov64(R0, 0).exit().toArray()));
        add(c, "EINVAL", new VerifierCase("callee leaks a ring buffer reservation", ProgramType.XDP, m -> new Asm()
                .callLocal("f").mov64(R0, 2).exit()
                .label("f").ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE)
                .mov64(R0, 0).exit().toArray(), RING));
        add(c, "ok", new VerifierCase("callee submits its caller's reservation", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).jeq(R0, 0, "out")
                .mov64(R1, R0).callLocal("f").label("out").mov64(R0, 2).exit()
                .label("f").mov64(R2, 0).call(Helper.RINGBUF_SUBMIT).mov64(R0, 0).exit().toArray(), RING));
        add(c, "EACCES", new VerifierCase("caller writes a reservation its callee submitted", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).jeq(R0, 0, "out")
                .mov64(R6, R0).mov64(R1, R0).callLocal("f").stb(R6, 0, 1).label("out").mov64(R0, 2).exit()
                .label("f").mov64(R2, 0).call(Helper.RINGBUF_SUBMIT).mov64(R0, 0).exit().toArray(), RING));
        add(c, "ok", new VerifierCase("stack of 256 and 256 bytes across a call", ProgramType.XDP, m -> new Asm()
                .stdw(R10, -256, 0).callLocal("f").mov64(R0, 2).exit()
                .label("f").stdw(R10, -256, 0).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("combined stack of 512 and 8 bytes", ProgramType.XDP, m -> new Asm()
                .stdw(R10, -512, 0).callLocal("f").mov64(R0, 2).exit()
                .label("f").stdw(R10, -8, 0).mov64(R0, 0).exit().toArray()));
        add(c, "EACCES", new VerifierCase("combined stack too large on a path taken sometimes", ProgramType.XDP, m -> new Asm()
                .stdw(R10, -320, 0).ldxw(R2, R1, 0).mov64(R0, 2).jeq(R2, 0, "out").callLocal("f").label("out").exit()
                .label("f").stdw(R10, -256, 0).mov64(R0, 0).exit().toArray()));
        add(c, "ok", new VerifierCase("a function called only on a dead path adds no stack", ProgramType.XDP, m -> new Asm()
                .stdw(R10, -320, 0).mov64(R2, 0).mov64(R0, 2).jeq(R2, 0, "out").callLocal("f").label("out").exit()
                .label("f").stdw(R10, -256, 0).mov64(R0, 0).exit().toArray()));
        Asm deep = new Asm().callLocal("f1").mov64(R0, 2).exit();
        for (int i = 1; i <= 8; i++) {
            deep.label("f" + i);
            if (i < 8) deep.callLocal("f" + (i + 1));
            deep.mov64(R0, 0).exit();
        }
        long[] nine = deep.toArray();
        add(c, "E2BIG", new VerifierCase("nine frames", ProgramType.XDP, m -> nine));
        // Callbacks: r2 takes function 1's address (see fns()).
        add(c, "ok", new VerifierCase("bpf_loop callback writes its context", ProgramType.XDP, m -> fns(new Asm()
                .stdw(R10, -8, 0).mov64(R1, 4).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, R10).add64(R3, -8).mov64(R4, 0)
                .call(Helper.LOOP).mov64(R0, 2).exit().toArray(),
                new Asm().stdw(R2, 0, 1).mov64(R0, 0).exit().toArray())).withFuncInfo());
        add(c, "EACCES", new VerifierCase("bpf_loop callback writes past its context", ProgramType.XDP, m -> fns(new Asm()
                .stdw(R10, -8, 0).mov64(R1, 4).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, R10).add64(R3, -8).mov64(R4, 0)
                .call(Helper.LOOP).mov64(R0, 2).exit().toArray(),
                new Asm().stdw(R2, 8, 1).mov64(R0, 0).exit().toArray())).withFuncInfo());
        add(c, "EINVAL", new VerifierCase("bpf_loop callback returns up to 3", ProgramType.XDP, m -> fns(new Asm()
                .mov64(R1, 4).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.LOOP).mov64(R0, 2).exit().toArray(),
                new Asm().mov64(R0, R1).and64(R0, 3).exit().toArray())).withFuncInfo());
        add(c, "ok", new VerifierCase("bpf_loop callback returns the index's low bit", ProgramType.XDP, m -> fns(new Asm()
                .mov64(R1, 4).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.LOOP).mov64(R0, 2).exit().toArray(),
                new Asm().mov64(R0, R1).and64(R0, 1).exit().toArray())).withFuncInfo());
        add(c, "EINVAL", new VerifierCase("bpf_loop callback returns its stack pointer", ProgramType.XDP, m -> fns(new Asm()
                .mov64(R1, 4).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.LOOP).mov64(R0, 2).exit().toArray(),
                new Asm().mov64(R0, R10).exit().toArray())).withFuncInfo());
        add(c, "ok", new VerifierCase("bpf_loop callback returns 2 only on a dead path", ProgramType.XDP, m -> fns(new Asm()
                .mov64(R1, 4).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.LOOP).mov64(R0, 2).exit().toArray(),
                new Asm().mov64(R0, 0).jne(R0, 0, "two").exit().label("two").mov64(R0, 2).exit().toArray())).withFuncInfo());
        add(c, "EINVAL", new VerifierCase("bpf_loop callback returns 2", ProgramType.XDP, m -> fns(new Asm()
                .mov64(R1, 4).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.LOOP).mov64(R0, 2).exit().toArray(),
                new Asm().mov64(R0, 2).exit().toArray())).withFuncInfo());
        add(c, "EACCES", new VerifierCase("bpf_loop callback returns a map pointer", ProgramType.XDP, m -> fns(new Asm()
                .mov64(R1, 4).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.LOOP).mov64(R0, 2).exit().toArray(),
                new Asm().ldMapFd(R0, m[0]).exit().toArray()), HASH).withFuncInfo());
        add(c, "EACCES", new VerifierCase("bpf_loop context is a scalar", ProgramType.XDP, m -> fns(new Asm()
                .mov64(R1, 4).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, 8).mov64(R4, 0)
                .call(Helper.LOOP).mov64(R0, 2).exit().toArray(),
                new Asm().mov64(R0, 0).exit().toArray())).withFuncInfo());
        add(c, "EINVAL", new VerifierCase("bpf_loop callback leaks a reservation", ProgramType.XDP, m -> fns(new Asm()
                .mov64(R1, 4).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.LOOP).mov64(R0, 2).exit().toArray(),
                new Asm().ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).mov64(R0, 0).exit().toArray()),
                RING).withFuncInfo());
        add(c, "EACCES", new VerifierCase("for_each_map_elem callback writes past the value", ProgramType.XDP, m -> fns(new Asm()
                .ldMapFd(R1, m[0]).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.FOR_EACH_MAP_ELEM).mov64(R0, 2).exit().toArray(),
                new Asm().stdw(R3, 8, 1).mov64(R0, 0).exit().toArray()), HASH).withFuncInfo());
        add(c, "ok", new VerifierCase("for_each_map_elem callback writes the value", ProgramType.XDP, m -> fns(new Asm()
                .ldMapFd(R1, m[0]).ldImm64(R2, PSEUDO_FUNC, 1, 0).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.FOR_EACH_MAP_ELEM).mov64(R0, 2).exit().toArray(),
                new Asm().stdw(R3, 0, 1).mov64(R0, 0).exit().toArray()), HASH).withFuncInfo());
    }

    /** A local dynptr at fp-24 over an array's value (to "out" when the lookup fails). */
    private static Asm localDynptr(int map) {
        return new Asm().stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, map).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").mov64(R1, R0).mov64(R2, 8).mov64(R3, 0).mov64(R4, R10).add64(R4, -24)
                .call(Helper.DYNPTR_FROM_MEM);
    }

    private static Asm reserveDynptr(int map) {
        return new Asm().ldMapFd(R1, map).mov64(R2, 8).mov64(R3, 0).mov64(R4, R10).add64(R4, -16).call(Helper.RINGBUF_RESERVE_DYNPTR);
    }

    /**
     * Dynptrs on the stack: initialisation, kind, references, and their slots kept from plain
     * access. (Only refusals: the interpreter does not run dynptr_from_mem and
     * ringbuf_reserve_dynptr, so a program using them does not load on the simulator.)
     */
    private static void dynptrs(List<Object[]> c) {
        add(c, "EINVAL", new VerifierCase("ring buffer dynptr never released", ProgramType.XDP, m -> reserveDynptr(m[0])
                .mov64(R0, 2).exit().toArray(), RING));
        add(c, "EINVAL", new VerifierCase("ring buffer dynptr overwritten", ProgramType.XDP, m -> reserveDynptr(m[0])
                .stdw(R10, -16, 0).mov64(R1, R10).add64(R1, -16).mov64(R2, 0).call(Helper.RINGBUF_DISCARD_DYNPTR)
                .mov64(R0, 2).exit().toArray(), RING));
        add(c, "EINVAL", new VerifierCase("dynptr at an unaligned offset", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).mov64(R4, R10).add64(R4, -20).call(Helper.RINGBUF_RESERVE_DYNPTR)
                .mov64(R0, 2).exit().toArray(), RING));
        add(c, "EACCES", new VerifierCase("dynptr in a scalar", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R2, 8).mov64(R3, 0).mov64(R4, 16).call(Helper.RINGBUF_RESERVE_DYNPTR)
                .mov64(R0, 2).exit().toArray(), RING));
        add(c, "EINVAL", new VerifierCase("dynptr_read of an uninitialised dynptr", ProgramType.XDP, m -> new Asm()
                .mov64(R1, R10).add64(R1, -32).mov64(R2, 4).mov64(R3, R10).add64(R3, -16).mov64(R4, 0).mov64(R5, 0)
                .call(Helper.DYNPTR_READ).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("local dynptr over the stack", ProgramType.XDP, m -> new Asm()
                .stdw(R10, -8, 0).mov64(R1, R10).add64(R1, -8).mov64(R2, 8).mov64(R3, 0).mov64(R4, R10).add64(R4, -24)
                .call(Helper.DYNPTR_FROM_MEM).mov64(R0, 2).exit().toArray()));
        add(c, "EACCES", new VerifierCase("dynptr slots read as memory", ProgramType.XDP, m -> localDynptr(m[0])
                .ldxdw(R0, R10, -24).label("out").mov64(R0, 2).exit().toArray(), ARRAY));
        add(c, "EINVAL", new VerifierCase("local dynptr discarded as a ring buffer one", ProgramType.XDP, m -> localDynptr(m[0])
                .mov64(R1, R10).add64(R1, -24).mov64(R2, 0).call(Helper.RINGBUF_DISCARD_DYNPTR)
                .label("out").mov64(R0, 2).exit().toArray(), ARRAY));
        add(c, "EACCES", new VerifierCase("dynptr_data read past its size", ProgramType.XDP, m -> localDynptr(m[0])
                .mov64(R1, R10).add64(R1, -24).mov64(R2, 0).mov64(R3, 4).call(Helper.DYNPTR_DATA).jeq(R0, 0, "out")
                .ldxw(R0, R0, 4).label("out").mov64(R0, 2).exit().toArray(), ARRAY));
        add(c, "EACCES", new VerifierCase("dynptr_data read unchecked", ProgramType.XDP, m -> localDynptr(m[0])
                .mov64(R1, R10).add64(R1, -24).mov64(R2, 0).mov64(R3, 4).call(Helper.DYNPTR_DATA)
                .ldxw(R0, R0, 0).label("out").mov64(R0, 2).exit().toArray(), ARRAY));
    }

    /**
     * The main function followed by others; an {@code ld_imm64} of {@code BPF_PSEUDO_FUNC} in any
     * of them names a function by its number (1 for the first after main) and gets its offset.
     */
    private static long[] fns(long[] main, long[]... others) {
        int n = main.length;
        int[] at = new int[others.length + 1];
        for (int i = 0; i < others.length; i++) {
            at[i + 1] = n;
            n += others[i].length;
        }
        long[] all = new long[n];
        System.arraycopy(main, 0, all, 0, main.length);
        for (int i = 0; i < others.length; i++) System.arraycopy(others[i], 0, all, at[i + 1], others[i].length);
        for (int i = 0; i < n; i++) {
            if ((all[i] & 0xff) == 0x18 && ((all[i] >> 12) & 0xf) == PSEUDO_FUNC) {
                int target = at[(int) (all[i] >> 32)];
                all[i] = (all[i] & 0xffffffffL) | (long) (target - i - 1) << 32;
            }
            if ((all[i] & 0xff) == 0x18) i++;
        }
        return all;
    }

    /** One instruction word from its fields ({@code struct bpf_insn} as a little-endian long). */
    private static long raw(int code, int dst, int src, int off, int imm) {
        return (code & 0xff) | (long) (dst & 0xf) << 8 | (long) (src & 0xf) << 12 | (long) (off & 0xffff) << 16 | (long) imm << 32;
    }

    private static void add(List<Object[]> c, String want, VerifierCase v) {
        c.add(new Object[] {want, v});
    }

    @Test
    void everyCaseHasTheKernelsOutcomeOnBothSides() {
        LinuxKernel.require();
        compare("[verifier cases]", cases());
    }

    /**
     * Loads every case on the kernel and the simulator and fails unless both give the kernel's
     * outcome and that outcome is the expected one (a null expectation: whatever the kernel says).
     * Prints {@code label}, the count, the kernel's refusals and the differing cases.
     */
    static void compare(String label, List<Object[]> cases) {
        List<String> before = LeakCheck.descriptors();
        List<VerifierCase.Outcome> lin = DiffHost.onCpu0(null, () -> {
            List<VerifierCase.Outcome> out = new ArrayList<>();
            try (Bpf linux = Bpf.open("linux")) {
                for (Object[] k : cases) out.add(((VerifierCase) k[1]).load(linux));
            }
            return out;
        });
        List<String> bad = new ArrayList<>();
        int refused = 0;
        try (SimBpf sim = Simulator.builder().possibleCpus(DiffHost.CPUS).build()) {
            for (int i = 0; i < cases.size(); i++) {
                String want = (String) cases.get(i)[0];
                VerifierCase v = (VerifierCase) cases.get(i)[1];
                VerifierCase.Outcome k = lin.get(i);
                VerifierCase.Outcome s = v.load(sim);
                if (!k.result().equals("ok")) refused++;
                if ((want != null && !want.equals(k.result())) || !k.result().equals(s.result())) {
                    bad.add(v.name + ": expected " + want + ", linux " + k.result() + ", sim " + s.result() + "\n  linux log: "
                            + tail(k.log()) + "\n  sim log:   " + tail(s.log()));
                }
            }
        }
        assertTrue(LeakCheck.descriptors().equals(before), "the cases leaked descriptors");
        System.out.println(label + " " + cases.size() + " programs, kernel refused " + refused + ", differing " + bad.size());
        assertTrue(bad.isEmpty(), bad.size() + " case(s) differ:\n" + String.join("\n", bad));
    }

    private static String tail(String log) {
        if (log == null) return "";
        String t = log.strip();
        String[] lines = t.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, lines.length - 4); i < lines.length; i++) b.append(lines[i]).append(" | ");
        return b.toString();
    }
}
