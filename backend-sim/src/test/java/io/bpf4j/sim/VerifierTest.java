package io.bpf4j.sim;

import static io.bpf4j.api.asm.Register.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import org.junit.jupiter.api.Test;

/**
 * The simulator's verifier: type, bounds, reference and per-type rules, each with the kernel's
 * errno and wording (the same programs are compared with Linux 6.18 in the differential tests).
 */
class VerifierTest extends SimTestBase {
    private VerifierException refused(ProgramType t, Asm a, Errno errno, String message) {
        return refused(ProgramSpec.of(t, a.toArray(), "GPL"), errno, message);
    }

    private Asm lookup(int map) {
        return new Asm().stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, map).call(Helper.MAP_LOOKUP_ELEM);
    }

    @Test
    void packetReadsNeedARangeProvenAgainstTheEnd() {
        refused(ProgramType.XDP, new Asm().ldxw(R2, R1, 0).ldxb(R0, R2, 0).exit(), Errno.EACCES,
                "invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)");
        Asm shortCheck = new Asm().ldxw(R2, R1, 0).ldxw(R3, R1, 4).mov64(R4, R2).add64(R4, 4).jgt(R4, R3, "out")
                .ldxw(R0, R2, 2).exit().label("out").mov64(R0, 2).exit();
        VerifierException e = refused(ProgramType.XDP, shortCheck, Errno.EACCES, "invalid access to packet, off=2 size=4, R2(id=0,off=0,r=4)");
        assertTrue(e.log().contains("5: (61)"), "the log names the instruction: " + e.log());
        accepted(ProgramType.XDP, new Asm().ldxw(R2, R1, 0).ldxw(R3, R1, 4).mov64(R4, R2).add64(R4, 6).jgt(R4, R3, "out")
                .ldxw(R0, R2, 2).mov64(R0, 2).exit().label("out").mov64(R0, 2).exit());
    }

    @Test
    void contextFieldsFollowEachTypesRules() {
        refused(ProgramType.SCHED_CLS, new Asm().mov64(R2, 0).stxw(R1, 0, R2).mov64(R0, 0).exit(), Errno.EACCES,
                "invalid bpf_context access off=0 size=4");
        refused(ProgramType.SOCKET_FILTER, new Asm().ldxw(R0, R1, 76).exit(), Errno.EACCES, "invalid bpf_context access off=76 size=4");
        refused(ProgramType.KPROBE, new Asm().ldxdw(R0, R1, 168).exit(), Errno.EACCES, "invalid bpf_context access off=168 size=8");
        refused(ProgramType.SCHED_CLS, new Asm().add64(R1, 8).ldxw(R0, R1, 0).exit(), Errno.EACCES,
                "dereference of modified ctx ptr R1 off=8 disallowed");
        accepted(ProgramType.SCHED_CLS, new Asm().stw(R1, 8, 7).ldxw(R0, R1, 0).mov64(R0, 0).exit());
    }

    @Test
    void returnValuesAreCheckedPerAttachType() {
        refused(ProgramType.CGROUP_SKB, new Asm().mov64(R0, 2).exit(), Errno.EINVAL,
                "At program exit the register R0 has value 2 should have been in [0, 1]");
        LoadResult r = sim.progLoad(ProgramSpec.of(ProgramType.CGROUP_SKB, new Asm().mov64(R0, 3).exit().toArray(), "GPL")
                .withExpectedAttachType(AttachType.CGROUP_INET_EGRESS));
        sim.closeFd(r.fd());
    }

    @Test
    void mapValuesAreNullCheckedBoundedAndReadOnlyWhereFlagged() {
        int hash = sim.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4));
        int ro = sim.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4).withFlags(MapFlags.RDONLY_PROG));
        try {
            refused(ProgramType.XDP, lookup(hash).ldxdw(R0, R0, 0).exit(), Errno.EACCES, "R0 invalid mem access 'map_value_or_null'");
            refused(ProgramType.XDP, lookup(hash).jeq(R0, 0, "out").ldxw(R1, R0, 6).label("out").mov64(R0, 2).exit(), Errno.EACCES,
                    "invalid access to map value, value_size=8 off=6 size=4");
            refused(ProgramType.XDP, lookup(ro).jeq(R0, 0, "out").stw(R0, 0, 1).label("out").mov64(R0, 2).exit(), Errno.EACCES,
                    "write into map forbidden, value_size=8 off=0 size=4");
            refused(ProgramType.XDP, lookup(hash).jeq(R0, 0, "out").ldxw(R1, R0, 0).and64(R1, 15).add64(R0, R1).stb(R0, 0, 1)
                    .label("out").mov64(R0, 2).exit(), Errno.EACCES, "R0 max value is outside of the allowed memory range");
            // A copy made before the NULL check is checked with it.
            accepted(ProgramType.XDP, lookup(hash).mov64(R6, R0).jne(R0, 0, "ok").mov64(R0, 2).exit()
                    .label("ok").ldxw(R1, R6, 0).and64(R1, 7).add64(R6, R1).ldxb(R0, R6, 0).mov64(R0, 2).exit());
            refused(ProgramType.XDP, new Asm().mov64(R2, 0).ldMapFd(R1, hash).call(Helper.MAP_LOOKUP_ELEM).mov64(R0, 2).exit(),
                    Errno.EACCES, "R2 type=scalar expected=fp");
        } finally {
            sim.closeFd(hash);
            sim.closeFd(ro);
        }
    }

    @Test
    void ringBufferReservationsMustBeReleasedOnEveryPath() {
        int ring = sim.mapCreate(MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
        try {
            Asm reserve = new Asm().ldMapFd(R1, ring).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE);
            refused(ProgramType.XDP, reserve.mov64(R0, 2).exit(), Errno.EINVAL, "Unreleased reference id=");
            Asm onePath = new Asm().ldMapFd(R1, ring).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).jeq(R0, 0, "out")
                    .mov64(R6, R0).call(Helper.GET_PRANDOM_U32).jeq(R0, 1, "out")
                    .mov64(R1, R6).mov64(R2, 0).call(Helper.RINGBUF_SUBMIT).label("out").mov64(R0, 2).exit();
            refused(ProgramType.XDP, onePath, Errno.EINVAL, "Unreleased reference");
            refused(ProgramType.XDP, new Asm().ldMapFd(R1, ring).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE)
                    .mov64(R1, R0).mov64(R2, 0).call(Helper.RINGBUF_SUBMIT).mov64(R0, 2).exit(), Errno.EACCES,
                    "R1 type=ringbuf_mem_or_null expected=ringbuf_mem");
            String log = accepted(ProgramType.XDP, new Asm().ldMapFd(R1, ring).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE)
                    .jeq(R0, 0, "out").stdw(R0, 0, 1).mov64(R1, R0).mov64(R2, 0).call(Helper.RINGBUF_SUBMIT)
                    .label("out").mov64(R0, 2).exit());
            assertFalse(log.contains("unverified"), log);
        } finally {
            sim.closeFd(ring);
        }
    }

    @Test
    void helpersArePerProgramType() {
        refused(ProgramType.XDP, new Asm().mov64(R2, 0).mov64(R3, R10).add64(R3, -8).stdw(R10, -8, 0).mov64(R4, 4).mov64(R5, 0)
                .call(Helper.SKB_STORE_BYTES).mov64(R0, 2).exit(), Errno.EINVAL, "program of this type cannot use helper bpf_skb_store_bytes#9");
    }

    @Test
    void stackAndPointerArithmeticRules() {
        refused(ProgramType.XDP, new Asm().stdw(R10, 0, 0).mov64(R0, 2).exit(), Errno.EACCES, "invalid write to stack R10 off=0 size=8");
        refused(ProgramType.XDP, new Asm().stdw(R10, -12, 0).mov64(R0, 2).exit(), Errno.EACCES, "misaligned stack access");
        refused(ProgramType.XDP, new Asm().mul64(R1, 2).mov64(R0, 2).exit(), Errno.EACCES,
                "R1 pointer arithmetic with *= operator prohibited");
        refused(ProgramType.XDP, new Asm().add32(R1, 1).mov64(R0, 2).exit(), Errno.EACCES, "R1 32-bit pointer arithmetic prohibited");
        refused(ProgramType.XDP, new Asm().mov64(R1, 0).ldxdw(R0, R1, 0).exit(), Errno.EACCES, "R1 invalid mem access 'scalar'");
        accepted(ProgramType.XDP, new Asm().stxdw(R10, -8, R1).ldxdw(R2, R10, -8).ldxw(R0, R2, 12).mov64(R0, 2).exit());
    }

    @Test
    void deadPathsAreNotCheckedAndLoopsConverge() {
        accepted(ProgramType.XDP, new Asm().mov64(R0, 0).jeq(R0, 1, "dead").mov64(R0, 2).exit().label("dead").mov64(R0, R5).exit());
        accepted(ProgramType.XDP, new Asm().ldxw(R2, R1, 12).and64(R2, 3).jgt(R2, 5, "dead").mov64(R0, 2).exit()
                .label("dead").ldxdw(R0, R2, 0).exit());
        accepted(ProgramType.XDP, new Asm().mov64(R0, 0).mov64(R1, 0).label("loop").add64(R0, R1).add64(R1, 1).jlt(R1, 100, "loop")
                .mov64(R0, 2).exit());
    }

    @Test
    void longBranchyProgramsArePrunedNotWalkedPathByPath() {
        // 2^1000 paths: only pruning of covered states (dead r5 ignored) keeps this under the limit.
        Asm a = new Asm().mov64(R0, 0).ldxw(R2, R1, 0).ldxw(R3, R1, 4).mov64(R4, R2).add64(R4, 64).jgt(R4, R3, "out");
        for (int i = 0; i < 1000; i++) a.ldxb(R5, R2, i % 64).jgt(R5, i & 0xff, "skip" + i).add64(R0, R5).label("skip" + i);
        long t0 = System.nanoTime();
        String log = accepted(ProgramType.XDP, a.label("out").mov64(R0, 2).exit());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(log.contains("unverified"), log);
        assertTrue(ms < 5_000, "loading took " + ms + " ms");
    }

    /** {@code before}, then {@code r1 = 0; loop: r1 += 1; if r1 < n goto loop; r0 = 2; exit}: 2n + 4 instructions walked after it. */
    private static Asm counting(Asm before, int n) {
        return before.mov64(R1, 0).label("loop").add64(R1, 1).jlt(R1, n, "loop").mov64(R0, 2).exit();
    }

    @Test
    void onePathPastTheKernelsLimitIsRefusedAsTheKernelRefusesIt() {
        // Linux 6.18 walks this loop pass by pass too: 999,999 instructions load, 1,000,001 do not.
        assertTrue(accepted(ProgramType.XDP, counting(new Asm(), 499_998)).contains("processed 999999 insns"));
        BpfException e = assertThrows(BpfException.class, () -> sim.progLoad(ProgramSpec.of(ProgramType.XDP,
                counting(new Asm(), 499_999).toArray(), "GPL")));
        assertEquals(Errno.E2BIG, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains("processed 1000001 insns"), e.getMessage());
        // A path that forked may be walked otherwise by the kernel: only said to be unjudged.
        String forked = accepted(ProgramType.XDP, counting(new Asm().ldxw(R2, R1, 12).jgt(R2, 5, "next").label("next"), 499_999));
        assertTrue(forked.contains("unverified: more than 1000000 instructions walked"), forked);
    }

    @Test
    void quotientsAreUnknownAsTheKernelLeavesThem() {
        // Linux 6.18 folds no division and bounds no quotient, so it walks (and refuses) both ways.
        refused(ProgramType.XDP, new Asm().mov64(R1, 10).div64(R1, 3).jeq(R1, 3, "ok").ldxdw(R0, R1, 0).exit().label("ok")
                .mov64(R0, 2).exit(), Errno.EACCES, "R1 invalid mem access 'scalar'");
        refused(ProgramType.XDP, new Asm().ldxw(R1, R1, 12).mod64(R1, 3).jgt(R1, 2, "bad").mov64(R0, 2).exit().label("bad")
                .ldxdw(R0, R1, 0).exit(), Errno.EACCES, "R1 invalid mem access 'scalar'");
        // The other constants fold on both sides.
        accepted(ProgramType.XDP, new Asm().mov64(R1, 10).mul64(R1, 3).jeq(R1, 30, "ok").ldxdw(R0, R1, 0).exit().label("ok")
                .mov64(R0, 2).exit());
    }

    @Test
    void whatTheModelCannotJudgeIsAcceptedAndSaidSo() {
        // A stack access at a variable offset is the kernel's to judge.
        String log = accepted(ProgramType.XDP, new Asm().ldxw(R3, R1, 12).mov64(R2, R10).add64(R2, R3).ldxw(R0, R2, -8)
                .mov64(R0, 2).exit());
        assertTrue(log.contains("unverified: variable offset into the stack"), log);
    }
}
