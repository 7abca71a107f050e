package io.bpf4j.api.object;

import io.bpf4j.api.btf.Btf;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link ObjectSpec#load(io.bpf4j.api.Bpf, LoadOptions)} loads an object. Immutable: the
 * {@code with*} methods return a changed copy.
 *
 * <p>What the loader needs to know about the kernel comes from the backend by default: the
 * kernel's BTF (for CO-RE, {@code __ksym} externs and BTF-typed attach targets) when the backend
 * publishes a {@code vmlinux} BTF object, and the kernel's configuration and version (for
 * {@code .kconfig} externs) when the backend is the running Linux kernel. A backend that is no
 * running kernel, such as the simulator, offers neither, and these options supply them, which
 * also makes a load deterministic in tests.
 */
public final class LoadOptions {
    /** libbpf's default pin root. */
    public static final String DEFAULT_PIN_ROOT = "/sys/fs/bpf";
    /**
     * Where eBPF for Windows' own loader pins maps by name when given no root
     * ({@code DEFAULT_PIN_ROOT_PATH}, libs/api/ebpf_api.cpp@Release-v0.21.0:60, @v1.5.0:88, used
     * at @v1.5.0:2814), and so the default for objects read with
     * {@link ObjectFlavor#EBPF_FOR_WINDOWS}: their pinned maps are shared with programs efW loads.
     */
    public static final String EBPF_FOR_WINDOWS_PIN_ROOT = "/ebpf/global";

    /**
     * The program an extension ({@code freplace/}) program replaces a function of.
     *
     * @param programFd the target program's descriptor, open until the load is done
     * @param function the name of the function in the target program's BTF to replace, or
     *     empty for the one the program's section names ({@code freplace/FUNCTION})
     */
    public record ExtensionTarget(int programFd, String function) {
        /**
         * Checks the target.
         *
         * @throws IllegalArgumentException naming a bad parameter
         */
        public ExtensionTarget {
            Objects.requireNonNull(function, "function");
            if (programFd <= 0) throw new IllegalArgumentException("programFd: " + programFd + " is not a descriptor");
        }
    }

    private final String pinRoot;
    private final int logLevel;
    private final int logSize;
    private final Btf targetBtf;
    private final String kconfig;
    private final int kernelVersion;
    private final Map<String, ExtensionTarget> extensionTargets;

    private LoadOptions(String pinRoot, int logLevel, int logSize, Btf targetBtf, String kconfig, int kernelVersion,
            Map<String, ExtensionTarget> extensionTargets) {
        this.pinRoot = pinRoot;
        this.logLevel = logLevel;
        this.logSize = logSize;
        this.targetBtf = targetBtf;
        this.kconfig = kconfig;
        this.kernelVersion = kernelVersion;
        this.extensionTargets = Map.copyOf(extensionTargets);
    }

    /**
     * The defaults: pins under {@code /sys/fs/bpf}, a verifier log only on failure, and the
     * backend's kernel for BTF, configuration and version.
     *
     * @return the options
     */
    public static LoadOptions defaults() {
        return new LoadOptions(null, 0, 0, null, null, 0, Map.of());
    }

    /**
     * The directory where maps with {@link Pinning#BY_NAME} are pinned and looked for, as
     * libbpf's {@code pin_root_path}.
     *
     * @return the directory; {@value #DEFAULT_PIN_ROOT} by default, where an object read with
     *     {@link ObjectFlavor#EBPF_FOR_WINDOWS} pins under {@value #EBPF_FOR_WINDOWS_PIN_ROOT} instead
     */
    public String pinRoot() {
        return pinRoot == null ? DEFAULT_PIN_ROOT : pinRoot;
    }

    /** The pin root for an object of a flavor: the chosen one, else that flavor's default. */
    String pinRoot(ObjectFlavor flavor) {
        if (pinRoot != null) return pinRoot;
        return flavor == ObjectFlavor.EBPF_FOR_WINDOWS ? EBPF_FOR_WINDOWS_PIN_ROOT : DEFAULT_PIN_ROOT;
    }

    /**
     * The verifier log level for every program: 0 to ask for a log only when a load fails, 1
     * or 2 to always keep it ({@link io.bpf4j.api.BpfProgram#verifierLog()}).
     *
     * @return the level
     */
    public int logLevel() {
        return logLevel;
    }

    /**
     * The initial verifier log buffer in bytes; it grows when the verifier needs more.
     *
     * @return the size, or 0 for the backend's default
     */
    public int logSize() {
        return logSize;
    }

    /**
     * The BTF CO-RE relocations are resolved against instead of the backend's kernel BTF, as
     * libbpf's {@code btf_custom_path}.
     *
     * @return the BTF, or empty for the backend's kernel BTF
     */
    public Optional<Btf> targetBtf() {
        return Optional.ofNullable(targetBtf);
    }

    /**
     * Kernel configuration text ({@code CONFIG_X=y} lines, as in {@code /proc/config.gz}) that
     * {@code .kconfig} externs are read from before the running kernel's own, as libbpf's
     * {@code kconfig} option.
     *
     * @return the text, or empty
     */
    public Optional<String> kconfig() {
        return Optional.ofNullable(kconfig);
    }

    /**
     * The value of the {@code LINUX_KERNEL_VERSION} extern.
     *
     * @return {@code KERNEL_VERSION(a, b, c)}, or 0 for the running kernel's
     */
    public int kernelVersion() {
        return kernelVersion;
    }

    /**
     * The target of an extension program.
     *
     * @param program the program's name in the object
     * @return its target, or empty when none was given
     */
    public Optional<ExtensionTarget> extensionTarget(String program) {
        return Optional.ofNullable(extensionTargets.get(Objects.requireNonNull(program, "program")));
    }

    /**
     * A copy with another pin root.
     *
     * @param dir the directory for {@link Pinning#BY_NAME} maps
     * @return the copy
     * @throws IllegalArgumentException when the directory is empty or contains NUL
     */
    public LoadOptions withPinRoot(String dir) {
        Objects.requireNonNull(dir, "dir");
        if (dir.isEmpty() || dir.indexOf('\0') >= 0) throw new IllegalArgumentException("dir: empty or contains NUL");
        return new LoadOptions(dir, logLevel, logSize, targetBtf, kconfig, kernelVersion, extensionTargets);
    }

    /**
     * A copy that keeps the verifier log of every program.
     *
     * @param level 0 to 7: 1 or 2 to always keep the log
     * @param size the initial buffer size in bytes, or 0 for the backend's default
     * @return the copy
     * @throws IllegalArgumentException naming a bad parameter
     */
    public LoadOptions withLog(int level, int size) {
        if (level < 0 || level > 7) throw new IllegalArgumentException("level: " + level + " not in 0..7");
        if (size < 0) throw new IllegalArgumentException("size: negative");
        return new LoadOptions(pinRoot, level, size, targetBtf, kconfig, kernelVersion, extensionTargets);
    }

    /**
     * A copy whose CO-RE relocations are resolved against another BTF, e.g. a kernel's
     * {@code vmlinux} BTF read with {@link Btf#read(java.nio.file.Path)}, or one made with
     * {@link io.bpf4j.api.btf.BtfBuilder} for a backend with no kernel BTF. {@code __ksym}
     * externs and attach targets are still looked up in the backend's kernel, as libbpf does.
     *
     * @param btf the target BTF, or null for the backend's kernel BTF
     * @return the copy
     */
    public LoadOptions withTargetBtf(Btf btf) {
        return new LoadOptions(pinRoot, logLevel, logSize, btf, kconfig, kernelVersion, extensionTargets);
    }

    /**
     * A copy that reads {@code .kconfig} externs from this configuration first; externs it does
     * not set are read from the running kernel's configuration, when the backend is the running
     * kernel, or else left zero when {@code __weak}.
     *
     * @param text lines as in a kernel {@code .config} ({@code CONFIG_HZ=250},
     *     {@code CONFIG_BPF_JIT=y}, {@code CONFIG_DEFAULT_HOSTNAME="x"}), or null for none
     * @return the copy
     * @throws IllegalArgumentException when the text contains NUL
     */
    public LoadOptions withKconfig(String text) {
        if (text != null && text.indexOf('\0') >= 0) throw new IllegalArgumentException("text: contains NUL");
        return new LoadOptions(pinRoot, logLevel, logSize, targetBtf, text, kernelVersion, extensionTargets);
    }

    /**
     * A copy whose {@code LINUX_KERNEL_VERSION} extern has a given value.
     *
     * @param major the major version
     * @param minor the minor version, 0 to 255
     * @param patch the patch level; above 255 counts as 255, as the kernel's {@code KERNEL_VERSION}
     * @return the copy
     * @throws IllegalArgumentException naming a number out of range
     */
    public LoadOptions withKernelVersion(int major, int minor, int patch) {
        if (major < 0 || major > 0xffff) throw new IllegalArgumentException("major: " + major + " not in 0..65535");
        if (minor < 0 || minor > 255) throw new IllegalArgumentException("minor: " + minor + " not in 0..255");
        if (patch < 0) throw new IllegalArgumentException("patch: negative");
        int v = major << 16 | minor << 8 | Math.min(patch, 255);
        if (v == 0) throw new IllegalArgumentException("major: version 0.0.0 means the running kernel's");
        return new LoadOptions(pinRoot, logLevel, logSize, targetBtf, kconfig, v, extensionTargets);
    }

    /**
     * A copy in which an extension program ({@code freplace/FUNCTION}) replaces a function of a
     * loaded program, as libbpf's {@code bpf_program__set_attach_target()}. The function is
     * found by name in the target program's BTF.
     *
     * @param program the extension program's name in the object
     * @param targetProgramFd the program whose function it replaces; it must stay open until the
     *     load is done
     * @param function the function's name, or null for the one the section names
     * @return the copy
     * @throws IllegalArgumentException naming a bad parameter
     */
    public LoadOptions withExtensionTarget(String program, int targetProgramFd, String function) {
        Objects.requireNonNull(program, "program");
        if (program.isEmpty()) throw new IllegalArgumentException("program: empty");
        Map<String, ExtensionTarget> m = new LinkedHashMap<>(extensionTargets);
        m.put(program, new ExtensionTarget(targetProgramFd, function == null ? "" : function));
        return new LoadOptions(pinRoot, logLevel, logSize, targetBtf, kconfig, kernelVersion, m);
    }

    @Override
    public String toString() {
        return "LoadOptions[pinRoot=" + pinRoot() + ", logLevel=" + logLevel + ", logSize=" + logSize
                + (targetBtf == null ? "" : ", targetBtf") + (kconfig == null ? "" : ", kconfig")
                + (kernelVersion == 0 ? "" : ", kernelVersion=0x" + Integer.toHexString(kernelVersion))
                + (extensionTargets.isEmpty() ? "" : ", extensionTargets=" + extensionTargets.keySet()) + "]";
    }
}
