package io.bpf4j.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM names every library module of the build at the build's version: the modules that
 * publish sources and Javadoc (the others set {@code maven.javadoc.skip}), and nothing else.
 */
class BomTest {
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>(bpf4j-[a-z-]+)</artifactId>\\s*<version>([^<]+)</version>");

    @Test
    void theBomListsEveryLibraryModule() throws Exception {
        String parent = Files.readString(Path.of("../pom.xml"));
        TreeSet<String> libraries = new TreeSet<>();
        Matcher modules = Pattern.compile("<module>([a-z-]+)</module>").matcher(parent);
        List<String> names = new ArrayList<>();
        while (modules.find()) names.add(modules.group(1));
        for (String m : names) {
            if (m.equals("bom")) continue;
            String pom = Files.readString(Path.of("..", m, "pom.xml"));
            if (pom.contains("<maven.javadoc.skip>true</maven.javadoc.skip>")) continue;
            Matcher a = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(pom);
            if (a.find()) libraries.add(a.group(1));
        }
        TreeSet<String> listed = new TreeSet<>();
        String bom = Files.readString(Path.of("../bom/pom.xml"));
        Matcher d = ARTIFACT.matcher(bom.substring(bom.indexOf("<dependencyManagement>")));
        while (d.find()) {
            assertEquals("${project.version}", d.group(2), d.group(1) + "'s version in the BOM");
            listed.add(d.group(1));
        }
        assertEquals(libraries, listed, "the library modules and the BOM's entries");
        Matcher pv = Pattern.compile("<artifactId>bpf4j-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(parent);
        Matcher bv = Pattern.compile("<artifactId>bpf4j-bom</artifactId>\\s*<version>([^<]+)</version>").matcher(bom);
        assertEquals(pv.find() ? pv.group(1) : "no parent version", bv.find() ? bv.group(1) : "no BOM version",
                "the BOM (which has no parent) is versioned with the build");
        assertEquals(List.of("bpf4j-api", "bpf4j-backend-linux", "bpf4j-backend-sim", "bpf4j-backend-windows", "bpf4j-junit"),
                new ArrayList<>(listed));
    }
}
