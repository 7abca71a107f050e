package io.bpf4j.it.diff;

import io.bpf4j.api.MapSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A script of operations with symbolic objects, built once and run on both backends. The map
 * operations render what a caller can observe: found or missing, the value bytes, the next key,
 * the batch count; every failure is its errno. {@link MapOps} adds the map commands.
 */
class Scenario {
    final String name;
    final List<Step> steps = new ArrayList<>();
    /** Specs of the maps this script creates, so later steps know the value sizes. */
    final Map<String, MapSpec> specs = new HashMap<>();
    boolean netns;
    boolean cgroup;
    String note = "";

    Scenario(String name) {
        this.name = name;
    }

    Scenario step(String what, Step.Action action) {
        steps.add(new Step(what, action));
        return this;
    }

    /** The kernel side runs inside a fresh network namespace (its loopback is ifindex 1). */
    Scenario inNetns() {
        netns = true;
        return this;
    }

    /** The scenario gets a test cgroup path (a real directory on Linux, a virtual one in the sim). */
    Scenario withCgroup() {
        cgroup = true;
        return this;
    }

    /** Words printed with every mismatch report (the seed of a random scenario). */
    Scenario note(String note) {
        this.note = note;
        return this;
    }

    MapSpec spec(String sym) {
        MapSpec s = specs.get(sym);
        if (s == null) throw new IllegalArgumentException("scenario bug: no spec for " + sym);
        return s;
    }

    /** Bytes a syscall value of this map takes: per-CPU values are round_up(size, 8) per CPU. */
    int userValueSize(String sym) {
        MapSpec s = spec(sym);
        return s.type().isPerCpu() ? ((s.valueSize() + 7) & ~7) * DiffHost.CPUS : s.valueSize();
    }

    static String flags(long f) {
        if (f == 0) return "ANY";
        List<String> n = new ArrayList<>();
        if ((f & 1) != 0) n.add("NOEXIST");
        if ((f & 2) != 0) n.add("EXIST");
        if ((f & 4) != 0) n.add("LOCK");
        if ((f & ~7L) != 0) n.add("0x" + Long.toHexString(f & ~7L));
        return String.join("|", n);
    }

    static String key(byte[] k) {
        return k == null ? "null" : Outcome.hex(k);
    }

    static byte[] copy(byte[] b) {
        return b == null ? null : Arrays.copyOf(b, b.length);
    }
}
