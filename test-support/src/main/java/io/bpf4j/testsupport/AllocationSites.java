package io.bpf4j.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Says where a failing allocation check allocated. A per-call allocation that escape analysis
 * removes in most runs and not in some (it depends on what the JIT compiled first) cannot be
 * reproduced on demand, so the failing run itself records its allocation sites with Flight
 * Recorder and puts them in the failure message.
 */
final class AllocationSites {
    private static final int FRAMES = 12;
    private static final int SITES = 3;

    private AllocationSites() {
    }

    /**
     * Runs {@code work} under a recording of TLAB allocations with stack traces, and answers the
     * current thread's most sampled allocation sites, or why none could be recorded.
     */
    static String record(Runnable work) {
        long self = Thread.currentThread().getId();
        Path file = null;
        try (Recording r = new Recording()) {
            r.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
            r.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
            r.start();
            work.run();
            r.stop();
            file = Files.createTempFile("bpf4j-alloc", ".jfr");
            r.dump(file);
            Map<String, Integer> sites = new HashMap<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getThread() == null || e.getThread().getJavaThreadId() != self || e.getStackTrace() == null) continue;
                sites.merge(site(e), 1, Integer::sum);
            }
            if (sites.isEmpty()) return "  (no allocation sampled on this thread)";
            return sites.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(SITES)
                    .map(x -> "  " + x.getValue() + " samples: " + x.getKey()).collect(Collectors.joining("\n"));
        } catch (IOException | RuntimeException e) {
            return "  (could not record: " + e + ")";
        } finally {
            if (file != null) file.toFile().delete();
        }
    }

    private static String site(RecordedEvent e) {
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        String type = e.getClass("objectClass") == null ? "?" : readable(e.getClass("objectClass").getName());
        return type + frames.stream().limit(FRAMES)
                .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber()
                        + " (" + f.getType() + ")")
                .collect(Collectors.joining("\n      <- ", "\n      at ", ""));
    }

    /** Flight Recorder names array classes as descriptors ({@code [J}); Java source names them {@code long[]}. */
    static String readable(String name) {
        int dims = 0;
        while (dims < name.length() && name.charAt(dims) == '[') dims++;
        if (dims == 0) return name;
        String rest = name.substring(dims);
        String element = switch (rest) {
            case "Z" -> "boolean";
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            default -> rest.startsWith("L") && rest.endsWith(";") ? rest.substring(1, rest.length() - 1) : rest;
        };
        return element + "[]".repeat(dims);
    }
}
