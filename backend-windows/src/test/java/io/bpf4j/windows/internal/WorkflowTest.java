package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.windows.internal.sys.Export;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Windows CI job can only run on GitHub's Windows runners; what can be checked here is checked
 * here, in every build: that it installs each release from the tag and asset eBPF for Windows
 * publishes, with efW's own silent-install flags, covers the oldest and newest releases the
 * backend knows, and names test classes that exist.
 */
class WorkflowTest {
    private static final String URL =
            "https://github.com/microsoft/ebpf-for-windows/releases/download/${{ matrix.tag }}/Build.Release.x64.zip";

    private static Path root() {
        Path base = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        for (Path p = base; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(".github/workflows/ci.yml"))) return p;
        }
        throw new AssertionError(".github/workflows/ci.yml not found above " + base);
    }

    private static String windowsJob() throws IOException {
        String ci = Files.readString(root().resolve(".github/workflows/ci.yml"));
        int at = ci.indexOf("\n  windows:\n");
        assertTrue(at >= 0, "the workflow has a windows job");
        Matcher m = Pattern.compile("\n  [a-z][a-z0-9-]*:\n").matcher(ci);
        return ci.substring(at, m.find(at + 1) ? m.start() : ci.length());
    }

    /**
     * The release tag of a version, as efW names them: "Release-v" up to 1.1.0, "v" from 1.2.1
     * (scripts/common.psm1@Release-v1.1.0:809 downloads Release-v1.0.0-rc1;
     * scripts/common.psm1@v1.4.0:1002 downloads v1.3.0; the repository's tags agree).
     */
    static String releaseTag(String version) {
        String[] p = version.split("-")[0].split("\\.");
        int v = Integer.parseInt(p[0]) * 10_000 + Integer.parseInt(p[1]) * 100 + Integer.parseInt(p[2]);
        return (v <= 10_100 ? "Release-v" : "v") + version;
    }

    @Test
    void theRuleMatchesEfwsTags() {
        assertEquals("Release-v0.21.0", releaseTag("0.21.0"));
        assertEquals("Release-v1.0.0-rc1", releaseTag("1.0.0-rc1"));
        assertEquals("Release-v1.1.0", releaseTag("1.1.0"));
        assertEquals("v1.2.1", releaseTag("1.2.1"));
        assertEquals("v1.5.0", releaseTag("1.5.0"));
    }

    @Test
    void eachReleaseComesFromItsTagAndAsset() throws IOException {
        String job = windowsJob();
        Map<String, String> tags = new LinkedHashMap<>();
        Matcher m = Pattern.compile("- os: (\\S+)\\s+efw: '([^']+)'\\s+tag: '([^']+)'").matcher(job);
        while (m.find()) {
            assertEquals("windows-2022", m.group(1));
            tags.put(m.group(2), m.group(3));
        }
        assertFalse(tags.isEmpty(), "the matrix lists releases as include entries with os, efw and tag");
        assertFalse(Pattern.compile("\n {8}(os|efw|tag): \\[").matcher(job).find(),
                "no base matrix key: include entries would overwrite each other");
        tags.forEach((version, tag) -> assertEquals(releaseTag(version), tag, "the tag of " + version));
        assertTrue(tags.containsKey(Export.EBPF_CLOSE_FD.since()), "the oldest release the backend can use is tested");
        Release newest = Release.values()[Release.values().length - 1];
        assertTrue(tags.containsKey(newest.version()), "the newest release the backend knows is tested");
        assertTrue(job.contains("runs-on: ${{ matrix.os }}"));
        assertTrue(job.contains("\"" + URL + "\""), "the asset URL: " + URL);
    }

    /** efW's silent install (scripts/install_ebpf.psm1@v1.5.0:243, @Release-v0.21.0:216). */
    @Test
    void theMsiIsInstalledWithEfwsFlags() throws IOException {
        String job = windowsJob();
        Matcher m = Pattern.compile("-ArgumentList @\\(([^)]*)\\)").matcher(job);
        assertTrue(m.find(), "msiexec is started with an argument list");
        List<String> args = new ArrayList<>();
        for (String a : m.group(1).split(",")) args.add(a.trim().replace("'", ""));
        assertEquals(List.of("/i", "$msi.FullName", "ADDLOCAL=ALL", "/qn", "/norestart", "/l*v", "$log"), args);
        assertTrue(job.contains("-Filter ebpf-for-windows.msi"), "the MSI install_ebpf.psm1 installs (its line 11)");
        assertTrue(job.contains("if ($p.ExitCode -ne 0)"), "a failed install fails the job");
    }

    @Test
    void theJobRunsTheRingReaderOnTheInstalledRelease() throws IOException {
        String job = windowsJob();
        assertTrue(job.contains("BPF4J_EXPECT_EFW: ${{ matrix.efw }}"), "the reader test learns the release from the matrix");
        Matcher m = Pattern.compile("\"-Dtest=([^\"]+)\"").matcher(job);
        assertTrue(m.find(), "the job names its tests");
        assertTrue(List.of(m.group(1).split(",")).contains("WindowsRingReaderTest"), m.group(1));
    }

    @Test
    void theTestsNamedExist() throws IOException {
        String job = windowsJob();
        Matcher m = Pattern.compile("\"-Dtest=([^\"]+)\"").matcher(job);
        assertTrue(m.find(), "the job names its tests");
        List<String> missing = new ArrayList<>();
        Path root = root();
        for (String name : m.group(1).split(",")) {
            try (Stream<Path> files = Files.walk(root, 12)) {
                if (files.noneMatch(f -> f.toString().contains("/src/test/java/") && f.getFileName().toString().equals(name + ".java"))) {
                    missing.add(name);
                }
            }
        }
        assertEquals(List.of(), missing, "test classes the Windows job names but nobody wrote");
    }
}
