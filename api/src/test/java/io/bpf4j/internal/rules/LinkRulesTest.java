package io.bpf4j.internal.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import org.junit.jupiter.api.Test;

class LinkRulesTest {
    private static void rejected(String param, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(param + ":"), e.getMessage());
    }

    @Test
    void optionsMustBeTheHooksOwn() {
        LinkRules.options(AttachType.XDP, LinkOptions.None.INSTANCE);
        rejected("options", () -> LinkRules.options(AttachType.XDP, new LinkOptions.Mprog(0, 0)));
        LinkRules.options(AttachType.TCX_INGRESS, new LinkOptions.Mprog(0, 0));
        LinkRules.options(AttachType.TCX_INGRESS, LinkOptions.None.INSTANCE);
        rejected("options", () -> LinkRules.options(AttachType.TCX_INGRESS, new LinkOptions.Tracing(0, 0)));
        LinkRules.options(AttachType.CGROUP_INET_INGRESS, new LinkOptions.Mprog(0, 0));
        LinkRules.options(AttachType.CGROUP_UNIX_GETSOCKNAME, new LinkOptions.Tracing(0, 0));
        rejected("options", () -> LinkRules.options(AttachType.CGROUP_DEVICE, new LinkOptions.PerfEvent(1)));
        rejected("options", () -> LinkRules.options(AttachType.NETFILTER, LinkOptions.None.INSTANCE));
        rejected("options", () -> LinkRules.options(AttachType.TRACE_KPROBE_MULTI, LinkOptions.None.INSTANCE));
        rejected("options", () -> LinkRules.options(AttachType.PERF_EVENT, LinkOptions.Iter.NONE));
        rejected("options", () -> LinkRules.options(AttachType.PERF_EVENT, new LinkOptions() { }));
    }

    @Test
    void everyCgroupNamedHookIsACgroupHook() {
        for (AttachType t : AttachType.values()) {
            assertTrue(LinkRules.isCgroupHook(t) == t.name().startsWith("CGROUP_"), t.toString());
        }
        assertFalse(LinkRules.isCgroupHook(AttachType.LSM_CGROUP));
    }

    @Test
    void descriptorsFlagsAndStrings() {
        rejected("progFd", () -> LinkRules.create(LinkSpec.of(-1, 1, AttachType.XDP, 0)));
        rejected("target", () -> LinkRules.create(LinkSpec.of(3, -2, AttachType.XDP, 0)));
        rejected("symbols[1]", () -> LinkRules.create(new LinkSpec(3, 0, AttachType.TRACE_KPROBE_MULTI, 0,
                new LinkOptions.KprobeMulti(new String[] {"a", ""}, null, null))));
        rejected("flags", () -> LinkRules.attach(AttachSpec.of(3, 4, AttachType.CGROUP_INET_INGRESS, 1 << 6)));
        rejected("replaceFd", () -> LinkRules.attach(new AttachSpec(3, 4, AttachType.CGROUP_INET_INGRESS, 0, -1, 0, 0)));
        rejected("oldProgFd", () -> LinkRules.update(3, 4, 5, 0));
        rejected("name", () -> LinkRules.rawTracepointOpen("a\0b", 3));
        LinkRules.rawTracepointOpen(null, 3);
        rejected("flags", () -> LinkRules.iterCreate(3, 1));
        rejected("pid", () -> LinkRules.target(new AttachTarget.Tracepoint("sched", "x", -2, 0)));
        rejected("pid/cpu", () -> LinkRules.target(new AttachTarget.PerfEvent(1, 0, 0, 0, -1, -1)));
        rejected("target", () -> LinkRules.target(null));
    }
}
