package io.bpf4j.it.diff;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import org.junit.jupiter.api.Test;

/**
 * mprog ordering and revisions on TCX (loopback of a fresh network namespace: ifindex 1 on
 * both sides; the kernel side's thread enters the namespace) and cgroup attach flags on a test
 * cgroup (sim: the same path opened with openTarget). Query results are compared as program
 * and link symbols in order, with flags and revision.
 */
class AttachTest {
    private static long[] ret(int v) {
        return new Asm().mov64(Register.R0, v).exit().toArray();
    }

    @Test
    void tcxOrderAndRevisions() {
        Scenario s = new Scenario("TCX mprog order and revisions").inNetns();
        AttachOps a = new AttachOps(s, AttachType.TCX_INGRESS, false);
        for (int i = 1; i <= 5; i++) Progs.load(s, "prog#" + i, ProgramType.SCHED_CLS, -1);
        a.query();
        a.link("link#1", "prog#1", 0, null, 0);
        a.query();
        a.attach("prog#2", AttachFlags.BEFORE, null, 2);
        a.attach("prog#3", AttachFlags.AFTER, null, 2);
        a.attach("prog#3", AttachFlags.AFTER, "prog#1", 3);
        a.query();
        a.attach("prog#2", 0, null, 0);
        a.attach("prog#4", AttachFlags.BEFORE | AttachFlags.AFTER, "prog#3", 0);
        a.attach("prog#4", AttachFlags.AFTER, "prog#5", 0);
        a.attach("prog#4", AttachFlags.BEFORE | AttachFlags.LINK, "link#1", 0);
        a.query();
        a.attach("prog#5", AttachFlags.REPLACE, "prog#3", 0);
        a.attach("prog#3", AttachFlags.REPLACE, "prog#1", 0);
        a.query();
        a.detach("prog#1");
        a.detach("prog#3");
        a.link("link#2", "prog#3", 0, "prog#5", 0);
        a.link("link#3", "prog#3", AttachFlags.AFTER, "prog#5", 0);
        a.query();
        a.closeLink("link#1");
        a.query();
        for (String p : new String[] {"prog#2", "prog#4", "prog#5"}) a.detach(p);
        a.closeLink("link#3");
        a.query();
        Diff.assertSame(s);
    }

    @Test
    void cgroupAttachFlags() {
        Scenario s = new Scenario("cgroup attach flags").withCgroup();
        AttachOps a = new AttachOps(s, AttachType.CGROUP_INET_INGRESS, true);
        for (int i = 1; i <= 4; i++) {
            Progs.load(s, "prog#" + i, ProgramSpec.of(ProgramType.CGROUP_SKB, ret(1), "GPL")
                    .withExpectedAttachType(AttachType.CGROUP_INET_INGRESS), "CGROUP_SKB return 1");
        }
        a.openCgroup();
        a.query();
        a.attach("prog#1", 0, null, 0);
        a.query();
        a.attach("prog#2", 0, null, 0);
        a.attach("prog#2", AttachFlags.ALLOW_MULTI, null, 0);
        a.attach("prog#2", AttachFlags.ALLOW_OVERRIDE, null, 0);
        a.query();
        a.detach("prog#2");
        a.detach(null);
        a.query();
        a.attach("prog#1", AttachFlags.ALLOW_MULTI, null, 0);
        a.attach("prog#2", AttachFlags.ALLOW_MULTI, null, 0);
        a.attach("prog#3", AttachFlags.ALLOW_MULTI | AttachFlags.BEFORE, "prog#1", 0);
        a.attach("prog#3", AttachFlags.ALLOW_MULTI, null, 0);
        a.attach("prog#4", AttachFlags.ALLOW_MULTI | AttachFlags.REPLACE, "prog#2", 0);
        a.attach("prog#4", AttachFlags.ALLOW_OVERRIDE, null, 0);
        a.query();
        a.link("link#1", "prog#1", 0, null, 0);
        a.query();
        a.detach(null);
        a.detach("prog#3");
        a.closeLink("link#1");
        for (String p : new String[] {"prog#1", "prog#4", "prog#3"}) a.detach(p);
        a.query();
        Diff.assertSame(s);
    }
}
