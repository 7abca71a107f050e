package io.bpf4j.it.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image every cell runs in, chosen once per run: a JRE image pulled from a registry where
 * one is reachable, and otherwise one built here from {@code scratch} out of this JVM's own
 * runtime (cut down with {@code jlink}) and the host libraries {@code ldd} says it needs. The
 * project's classes are not in the image: each cell mounts the test class path read-only, so the
 * image depends only on the JDK and is reused across runs. {@link #how} says which was chosen.
 *
 * @param name the image's name
 * @param java the java launcher inside it
 * @param how how the image was obtained, for the test output
 */
record CellImage(String name, String java, String how) {
    private static final String MODULES = "java.base,java.logging,java.management,java.naming,java.sql,java.xml,"
            + "jdk.unsupported,jdk.zipfs";
    private static CellImage chosen;

    /** The image for this run, pulled or built the first time it is asked for. */
    static synchronized CellImage get() {
        if (chosen == null) {
            chosen = pulled();
            if (chosen == null) chosen = built();
            System.out.println("privilege matrix: " + chosen.how());
        }
        return chosen;
    }

    /** The JRE image of this JVM's feature release, when a registry hands it out within a minute. */
    private static CellImage pulled() {
        String base = System.getProperty("bpf4j.cell.baseImage", "eclipse-temurin:" + Runtime.version().feature() + "-jre");
        if (base.isEmpty()) return null;
        DockerClient docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(base).exec();
            return new CellImage(base, "java", "the JRE image " + base + ", already present");
        } catch (RuntimeException absent) {
            // not here yet: pull it below
        }
        try {
            boolean done = docker.pullImageCmd(base).exec(new PullImageResultCallback()).awaitCompletion(60, TimeUnit.SECONDS);
            if (done) return new CellImage(base, "java", "the JRE image " + base + ", pulled");
            System.out.println("privilege matrix: pulling " + base + " took over a minute; building an image instead");
        } catch (RuntimeException | InterruptedException e) {
            System.out.println("privilege matrix: cannot pull " + base + " (" + e.getMessage() + "); building an image instead");
        }
        return null;
    }

    /** An image from scratch: a jlinked runtime of this JVM and its libraries, named by what went in. */
    private static CellImage built() {
        Path home = Path.of(System.getProperty("java.home"));
        String key = HexFormat.of().toHexDigits((home + Runtime.version().toString() + MODULES).hashCode());
        String name = "bpf4j-cell-jre:" + key;
        DockerClient docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(name).exec();
            return new CellImage(name, "/opt/java/bin/java", "the image " + name + ", built from scratch by an earlier run");
        } catch (RuntimeException absent) {
            // build it below
        }
        try {
            Path ctx = Files.createTempDirectory("bpf4j-cell-image");
            Path root = ctx.resolve("rootfs");
            Path java = root.resolve("opt/java");
            Files.createDirectories(java.getParent());
            run(home.resolve("bin/jlink").toString(), "--add-modules", MODULES, "--strip-debug", "--no-header-files",
                    "--no-man-pages", "--output", java.toString());
            for (String lib : libraries(java)) {
                Path to = root.resolve(lib.substring(1));
                Files.createDirectories(to.getParent());
                Files.copy(Path.of(lib), to, StandardCopyOption.REPLACE_EXISTING);
            }
            Path tmp = Files.createDirectories(root.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/:/bin/false\ncell:x:1000:1000:cell:/tmp:/bin/false\n");
            Files.writeString(root.resolve("etc/group"), "root:x:0:\ncell:x:1000:\n");
            new ImageFromDockerfile(name, false)
                    .withFileFromPath("rootfs", root)
                    .withDockerfileFromBuilder(b -> b.from("scratch").copy("rootfs/", "/").build())
                    .get(5, TimeUnit.MINUTES);
            deleteTree(ctx);
            return new CellImage(name, "/opt/java/bin/java", "the image " + name + ", built from scratch now (no registry:"
                    + " jlink of " + home + " and its libraries)");
        } catch (Exception e) {
            throw new IllegalStateException("building the cell image from scratch failed: " + e, e);
        }
    }

    /** The host libraries the runtime loads, by {@code ldd}, with the dynamic loader. */
    private static List<String> libraries(Path java) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ldd", java.resolve("bin/java").toString()));
        try (var files = Files.walk(java.resolve("lib"))) {
            files.filter(p -> p.toString().endsWith(".so")).forEach(p -> cmd.add(p.toString()));
        }
        String out = run(cmd.toArray(String[]::new));
        TreeSet<String> libs = new TreeSet<>();
        Matcher m = Pattern.compile("(/[^\\s:]+\\.so[^\\s:]*)").matcher(out);
        while (m.find()) {
            String lib = m.group(1);
            if (!lib.startsWith(java.toString()) && Files.exists(Path.of(lib), LinkOption.NOFOLLOW_LINKS)) libs.add(lib);
        }
        return new ArrayList<>(libs);
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES) || (p.exitValue() != 0 && !cmd[0].equals("ldd"))) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
