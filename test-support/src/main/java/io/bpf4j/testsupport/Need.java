package io.bpf4j.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The CI switch: what a test needs from the machine, and what happens when it is missing.
 *
 * <p>Locally a missing need skips the test with the reason ({@link TestAbortedException}). In CI
 * ({@code CI=true} in the environment, as GitHub Actions sets it, or {@code -Dbpf4j.ci=true}, as
 * {@code .ci/run} passes it) the same need fails the test ({@link AssertionFailedError}) with the
 * same reason: CI provides root, the mounts, the tools and the outside data, so a skip there would
 * hide a test that did not run.
 *
 * <p>Only needs of the environment go through here. A test that depends on a kernel feature asks
 * {@link #kernelHas(Enum)}, which consults {@link ExpectedKernel}, never the capability report of
 * the code under test.
 */
public final class Need {
    /** The system property that turns CI mode on, besides {@code CI=true} in the environment. */
    public static final String CI_PROPERTY = "bpf4j.ci";

    private Need() {
    }

    /**
     * Whether missing needs fail instead of skipping.
     *
     * @return true when {@code CI=true} is in the environment or {@code -Dbpf4j.ci=true} is set
     */
    public static boolean ci() {
        return Boolean.parseBoolean(System.getProperty(CI_PROPERTY)) || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips (locally) or fails (in CI) with the reason: this test cannot run here.
     *
     * @param reason what is missing, concretely enough to act on
     * @param <T> anything, so that {@code return Need.absent(...)} reads naturally
     * @return never
     */
    public static <T> T absent(String reason) {
        if (ci()) {
            throw new AssertionFailedError("needed in CI, where nothing may be skipped: " + reason
                    + " (CI=true or -D" + CI_PROPERTY + "=true turns skips into failures)");
        }
        throw new TestAbortedException(reason);
    }

    /** Checks that may skip, run where a skip would not be reported: see {@link #inBeforeAll}. */
    @FunctionalInterface
    public interface Checks {
        /**
         * Runs the checks.
         *
         * @throws Exception what a check throws
         */
        void run() throws Exception;
    }

    /**
     * Runs a class's needs in its {@code @BeforeAll} and answers why its tests must skip, or null.
     * A skip thrown from a {@code @BeforeAll} aborts the whole class, which surefire reports as
     * no test at all: the reason is lost. Keep the answer and call {@link #still(String)} at the
     * start of each test, so each one skips with the reason. In CI a missing need still fails at
     * once, here.
     *
     * @param checks the class's {@code Need} calls
     * @return the reason the tests must skip, or null when every need is met
     * @throws Exception what a check throws other than a skip
     */
    public static String inBeforeAll(Checks checks) throws Exception {
        try {
            checks.run();
            return null;
        } catch (TestAbortedException e) {
            return e.getMessage();
        }
    }

    /**
     * Skips the test with the reason {@link #inBeforeAll} gave, if it gave one.
     *
     * @param reason the answer of {@link #inBeforeAll}
     */
    public static void still(String reason) {
        if (reason != null) throw new TestAbortedException(reason);
    }

    /**
     * Goes on only when {@code condition} holds; otherwise {@link #absent(String)}.
     *
     * @param condition what the test needs
     * @param reason what is missing when it does not hold
     */
    public static void that(boolean condition, String reason) {
        if (!condition) absent(reason);
    }

    /**
     * Goes on only when {@code condition} holds; otherwise {@link #absent(String)}.
     *
     * @param condition what the test needs
     * @param reason what is missing when it does not hold, computed only then
     */
    public static void that(boolean condition, Supplier<String> reason) {
        if (!condition) absent(reason.get());
    }

    /** Needs Linux. */
    public static void linux() {
        that(Host.linux(), () -> "needs Linux; this is " + System.getProperty("os.name"));
    }

    /** Needs Linux and root (effective uid 0): bpf(), mounts, namespaces and cgroups need it. */
    public static void root() {
        linux();
        that(Host.root(), () -> "needs root: this process' effective uid is " + Host.effectiveUid() + ", not 0");
    }

    /**
     * Needs a command on the {@code PATH}.
     *
     * @param name the command, e.g. {@code gcc}
     * @return its path
     */
    public static Path tool(String name) {
        return Commands.onPath(name).orElseGet(() -> absent(name + " is not installed (not found on the PATH)"));
    }

    /**
     * Needs a file or directory that the machine or the CI set-up provides.
     *
     * @param path where it must be
     * @param what what it is, for the message (e.g. "the bpf_conformance tests directory")
     * @return {@code path}
     */
    public static Path path(Path path, String what) {
        that(Files.exists(path), () -> what + " not found at " + path);
        return path;
    }

    /**
     * Needs bpffs at {@code /sys/fs/bpf}, mounting it when missing (which needs root).
     *
     * @return {@code /sys/fs/bpf}
     */
    public static Path bpffs() {
        return mounted(Mounts.BPFFS, "bpf");
    }

    /**
     * Needs tracefs at {@code /sys/kernel/tracing}, mounting it when missing (which needs root).
     *
     * @return {@code /sys/kernel/tracing}
     */
    public static Path tracefs() {
        return mounted(Mounts.TRACEFS, "tracefs");
    }

    /**
     * Needs a cgroup v2 hierarchy; it is not mounted by tests, because where it goes is the
     * machine's choice.
     *
     * @return its mount point
     */
    public static Path cgroup2() {
        linux();
        return Mounts.cgroup2().orElseGet(() -> absent("needs a cgroup v2 mount (none in /proc/self/mounts)"));
    }

    /**
     * Needs a kernel feature that the CI kernel may lack. When {@link ExpectedKernel} says the CI
     * kernel lacks it, the test is skipped with that reason, in CI too: the absence is expected
     * and written down. Otherwise the test goes on and uses the feature for real; a kernel that
     * lacks it after all makes the test fail, which is the point.
     *
     * @param feature a constant of {@code AttachType}, {@code ProgramType}, {@code MapType},
     *     {@code LinkType} or {@code Operation}
     */
    public static void kernelHas(Enum<?> feature) {
        if (ExpectedKernel.lacks(feature)) {
            throw new TestAbortedException(ExpectedKernel.KERNEL + " (the CI kernel) lacks " + ExpectedKernel.key(feature)
                    + ", as expected: " + ExpectedKernel.reason(feature));
        }
    }

    private static Path mounted(Path dir, String fstype) {
        linux();
        if (Mounts.mountedAs(dir, fstype)) return dir;
        root();
        String out;
        try {
            Files.createDirectories(dir);
            out = Commands.exec("mount", "-t", fstype, fstype, dir.toString()).out();
        } catch (IOException | RuntimeException e) {
            out = e.toString();
        }
        String why = out;
        that(Mounts.mountedAs(dir, fstype), () -> fstype + " is not mounted at " + dir + " and mounting it failed: "
                + why.strip());
        return dir;
    }
}
