package io.bpf4j.testsupport;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the CI kernel lacks: Linux 6.18 as configured on the CI machines, written down here and
 * checked there with small independent C programs, never read from a backend's capability report.
 * A capability test holds the report to this table in both directions; a test that needs a
 * feature asks {@link Need#kernelHas(Enum)}.
 *
 * <p>Features are the constants of the api's enums, named by their enum's simple name: the table
 * takes any {@code AttachType}, {@code ProgramType}, {@code MapType}, {@code LinkType} or
 * {@code Operation} constant without depending on the api (whose own tests use this module).
 * {@link #lacking(Class)} resolves every entry of one enum, so a misspelt entry fails loudly.
 *
 * <p>The table describes one kernel series. On another kernel it cannot answer:
 * {@link #lacks(Enum)} and {@link #lacking(Class)} then go through {@link Need}, a skip locally
 * and a failure in CI, where the kernel must be the one described.
 */
public final class ExpectedKernel {
    /** The kernel the table describes. */
    public static final String KERNEL = "Linux 6.18";
    /** The release prefix of that kernel, as {@code uname -r} prints it. */
    public static final String RELEASE = "6.18";

    private static final String NO_KPROBES = "no kprobes: CONFIG_KPROBES is not set, and BPF_LINK_CREATE of a "
            + "kprobe_multi link fails with EOPNOTSUPP";
    private static final String NO_NETKIT = "no netkit devices: CONFIG_NETKIT is not set";
    private static final String NO_LIRC = "no LIRC: CONFIG_BPF_LIRC_MODE2 is not set, and loading a LIRC_MODE2 "
            + "program fails with EINVAL";
    private static final String NO_TRAMPOLINES = "the kernel refuses programs that attach through BPF trampolines to "
            + "kernel functions: loading fentry, fexit, fmod_ret, LSM or freplace programs fails with EPERM as root with "
            + "every capability (struct_ops trampolines do work: a bpf_dummy_ops test run succeeds)";

    private static final Map<String, String> LACKS = table();

    /**
     * Why the CI kernel has no module BTF: there are no modules to have it. Checked where module
     * BTF would be tested, so that a kernel with module BTF fails there until this is updated.
     */
    public static final String NO_MODULE_BTF = "CONFIG_MODULES is not set: the kernel loads no modules (there is no "
            + "/proc/modules), so /sys/kernel/btf holds vmlinux alone and no split module BTF exists to read";

    private ExpectedKernel() {
    }

    private static Map<String, String> table() {
        Map<String, String> t = new LinkedHashMap<>();
        for (String a : List.of("TRACE_KPROBE_MULTI", "TRACE_KPROBE_SESSION")) t.put("AttachType." + a, NO_KPROBES);
        for (String a : List.of("NETKIT_PRIMARY", "NETKIT_PEER")) t.put("AttachType." + a, NO_NETKIT);
        for (String a : List.of("TRACE_FENTRY", "TRACE_FEXIT", "MODIFY_RETURN", "LSM_MAC", "LSM_CGROUP")) {
            t.put("AttachType." + a, NO_TRAMPOLINES);
        }
        t.put("AttachType.LIRC_MODE2", NO_LIRC);
        t.put("ProgramType.LIRC_MODE2", NO_LIRC);
        t.put("ProgramType.LSM", NO_TRAMPOLINES);
        t.put("ProgramType.EXT", NO_TRAMPOLINES);
        for (String p : List.of("BIND", "NETEVENT", "PROCESS", "XDP_TEST", "SAMPLE")) {
            t.put("ProgramType." + p, "eBPF for Windows only program type: Linux has no BPF_PROG_TYPE_" + p);
        }
        t.put("MapType.ARENA", "the kernel refuses arena maps: BPF_MAP_CREATE of an ARENA map (one page, "
                + "BPF_F_MMAPABLE) fails with EPERM as root with every capability");
        t.put("LinkType.KPROBE_MULTI", NO_KPROBES);
        t.put("LinkType.NETKIT", NO_NETKIT);
        t.put("LinkType.TRACING", NO_TRAMPOLINES);
        t.put("Operation.TOKEN_CREATE", "BPF tokens exist only in user namespaces other than the initial one: "
                + "BPF_TOKEN_CREATE fails with EOPNOTSUPP in the initial user namespace, where the tests run");
        return Collections.unmodifiableMap(t);
    }

    /**
     * Whether the CI kernel lacks the feature.
     *
     * @param feature a constant of one of the api's capability enums
     * @return true when the table lists it
     * @throws IllegalArgumentException when the constant's enum is not one the table covers
     */
    public static boolean lacks(Enum<?> feature) {
        String key = key(feature);
        requireDescribedKernel();
        return LACKS.containsKey(key);
    }

    /**
     * Whether the CI kernel publishes split BTF for loaded modules in {@code /sys/kernel/btf}.
     *
     * @return false: see {@link #NO_MODULE_BTF}
     */
    public static boolean hasModuleBtf() {
        requireDescribedKernel();
        return false;
    }

    /**
     * Why the CI kernel lacks the feature.
     *
     * @param feature a constant the table lists
     * @return the reason, naming the configuration or the kernel's answer
     * @throws IllegalArgumentException when the table does not list it
     */
    public static String reason(Enum<?> feature) {
        String r = LACKS.get(key(feature));
        if (r == null) throw new IllegalArgumentException("feature: " + key(feature) + " is not lacking on " + KERNEL);
        return r;
    }

    /**
     * Every constant of one enum that the CI kernel lacks.
     *
     * @param type {@code AttachType.class}, {@code ProgramType.class}, {@code MapType.class},
     *     {@code LinkType.class} or {@code Operation.class}
     * @param <E> the enum
     * @return the lacking constants; empty when the kernel has every one
     * @throws IllegalArgumentException when the table names a constant the enum does not have
     */
    public static <E extends Enum<E>> Set<E> lacking(Class<E> type) {
        String prefix = enumName(type) + ".";
        requireDescribedKernel();
        EnumSet<E> out = EnumSet.noneOf(type);
        for (String k : LACKS.keySet()) {
            if (!k.startsWith(prefix)) continue;
            try {
                out.add(Enum.valueOf(type, k.substring(prefix.length())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the expected-capabilities table names " + k + ", which " + type.getName()
                        + " does not have", e);
            }
        }
        return out;
    }

    /**
     * Whether the running kernel is the one the table describes.
     *
     * @return true when the kernel release starts with {@value #RELEASE}
     */
    public static boolean describesRunningKernel() {
        String r = Host.kernelRelease();
        return Host.linux() && (r.equals(RELEASE) || r.startsWith(RELEASE + ".") || r.startsWith(RELEASE + "-"));
    }

    /** The table key of a constant: its enum's simple name, a dot, its name. */
    static String key(Enum<?> feature) {
        return enumName(feature.getDeclaringClass()) + "." + feature.name();
    }

    private static String enumName(Class<?> type) {
        String n = type.getSimpleName();
        if (!List.of("AttachType", "ProgramType", "MapType", "LinkType", "Operation").contains(n)) {
            throw new IllegalArgumentException("feature: " + type.getName() + " is not one of the capability enums");
        }
        return n;
    }

    private static void requireDescribedKernel() {
        Need.that(describesRunningKernel(), () -> "the expected-capabilities table describes " + KERNEL
                + ", and this kernel is " + Host.kernelRelease() + ": what it lacks is not written down");
    }
}
