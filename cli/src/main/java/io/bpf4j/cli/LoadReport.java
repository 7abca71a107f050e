package io.bpf4j.cli;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.object.BpfCollection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code bpf4j object load} did: the programs and maps it loaded with their ids and pins,
 * each program that failed, and an error that stopped the load.
 *
 * @param programs the loaded programs
 * @param maps the created or reused maps
 * @param failures the programs that failed
 * @param error what stopped the whole load (a map that could not be made), or null
 */
record LoadReport(List<Loaded> programs, List<Loaded> maps, List<Failure> failures, String error) {

    /**
     * One loaded program or map.
     *
     * @param name its name in the object
     * @param id its id
     * @param pinned where it is pinned, or null
     */
    record Loaded(String name, int id, String pinned) {
    }

    /**
     * A program that failed to load.
     *
     * @param program its name, or null when the failure named none
     * @param reason the error
     * @param logTail the verifier log's last lines, or empty
     */
    record Failure(String program, String reason, String logTail) {
    }

    /** Reports a collection, pinning everything under {@code pinDir} first when asked. */
    static LoadReport of(BpfCollection c, List<Failure> failures, String pinDir) {
        List<Loaded> progs = new ArrayList<>();
        List<Loaded> maps = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, BpfMap> e : c.maps().entrySet()) {
            String path = c.pinPath(e.getKey());
            if (path == null && pinDir != null) path = pin(e.getValue()::pin, pinDir, e.getKey(), used);
            else if (path != null) used.add(path);
            maps.add(new Loaded(e.getKey(), e.getValue().info().id(), path));
        }
        for (Map.Entry<String, BpfProgram> e : c.programs().entrySet()) {
            String path = pinDir == null ? null : pin(e.getValue()::pin, pinDir, e.getKey(), used);
            progs.add(new Loaded(e.getKey(), e.getValue().info().id(), path));
        }
        return new LoadReport(progs, maps, failures, null);
    }

    /** Pins at DIR/NAME, with the dots bpffs refuses made '_' and a suffix when a name is taken. */
    private static String pin(java.util.function.Consumer<String> pin, String dir, String name, Set<String> used) {
        String base = dir + "/" + name.replace('.', '_');
        String path = base;
        for (int i = 2; !used.add(path); i++) path = base + "_" + i;
        pin.accept(path);
        return path;
    }
}
