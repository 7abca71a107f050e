package io.bpf4j.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.testsupport.Need;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jars as JPMS modules: an application module that requires only {@code io.bpf4j.api}
 * is compiled against the jars and run on the module path, where the backends are found as
 * services. Native access granted to {@code io.bpf4j.linux} opens the kernel backend; denied, the
 * backend is unavailable with a reason naming the exact flag. (The other tests run on the class
 * path, where the module descriptors play no part.)
 */
@EnabledForJreRange(min = JRE.JAVA_22) // FFM: on JDK 17 to 21 the module path would need JNA's automatic module
class ModulePathTest {
    private static final String MAIN = String.join("\n",
            "package app;",
            "import io.bpf4j.api.Bpf;",
            "import io.bpf4j.api.BackendUnavailableException;",
            "import io.bpf4j.api.MapType;",
            "public final class Main {",
            "    public static void main(String[] args) {",
            "        try (Bpf bpf = Bpf.open(args[0])) {",
            "            System.out.println(bpf.name() + \" HASH \" + bpf.capabilities().mapType(MapType.HASH).supported()",
            "                    + \" in \" + Bpf.class.getModule().getName() + \" \" + bpf.getClass().getModule().getName());",
            "        } catch (BackendUnavailableException e) {",
            "            System.out.println(\"unavailable: \" + e.getMessage());",
            "        }",
            "    }",
            "}");

    /** The library jars the build made, or a stated need when it has not made them yet. */
    private static List<Path> jars() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String m : List.of("api", "backend-linux", "backend-windows", "backend-sim")) {
            Path dir = Path.of("..", m, "target");
            Path jar = null;
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    jar = s.filter(p -> p.getFileName().toString().matches("bpf4j-" + m + "-[0-9.]+(-SNAPSHOT)?\\.jar"))
                            .findFirst().orElse(null);
                }
            }
            if (jar == null) return Need.absent("the " + m + " jar in " + dir + " (made by mvn package or verify)");
            out.add(jar.toAbsolutePath().normalize());
        }
        return out;
    }

    private static String path(List<Path> jars, Path extra) {
        List<String> s = new ArrayList<>();
        for (Path j : jars) s.add(j.toString());
        s.add(extra.toString());
        return String.join(File.pathSeparator, s);
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not finish: " + cmd);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void anApplicationModuleFindsTheBackendsAsServices(@TempDir Path dir) throws Exception {
        Need.linux();
        Need.root();
        List<Path> jars = jars();
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), "module app { requires io.bpf4j.api; }\n");
        Files.writeString(src.resolve("app/Main.java"), MAIN);
        Path out = dir.resolve("out");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--module-path", path(jars, out), "-d", out.toString(),
                src.resolve("module-info.java").toString(), src.resolve("app/Main.java").toString());
        assertEquals(0, rc, "javac of the application module");

        String java = ProcessHandle.current().info().command().orElseThrow();
        String mp = path(jars, out);
        String granted = run(List.of(java, "--module-path", mp, "--enable-native-access=io.bpf4j.linux", "-m", "app/app.Main",
                "linux"));
        assertTrue(granted.contains("linux HASH true in io.bpf4j.api io.bpf4j.linux"), granted);
        assertTrue(!granted.contains("WARNING"), "no native-access warning when granted: " + granted);

        String sim = run(List.of(java, "--module-path", mp, "-m", "app/app.Main", "sim"));
        assertTrue(sim.contains("sim HASH true in io.bpf4j.api io.bpf4j.sim"), sim);

        String denied = run(List.of(java, "--module-path", mp, "--illegal-native-access=deny", "-m", "app/app.Main", "linux"));
        assertTrue(denied.contains("unavailable: ") && denied.contains("--enable-native-access=io.bpf4j.linux"), denied);
    }
}
