package io.bpf4j.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The possible CPUs, which size per-CPU map values: the kernel copies one value per possible
 * CPU ({@code num_possible_cpus()}), not per online CPU.
 */
public final class Cpus {
    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");

    private Cpus() {
    }

    /**
     * The number of possible CPUs of this machine.
     *
     * @return the count from {@code /sys/devices/system/cpu/possible}, or the JVM's processor
     *     count when that file cannot be read
     */
    public static int possible() {
        try {
            return count(Files.readString(POSSIBLE));
        } catch (IOException | IllegalArgumentException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * Counts the CPUs of a kernel CPU list such as {@code 0-1,4} or {@code 0}.
     *
     * @param list the list
     * @return how many CPUs it names
     * @throws IllegalArgumentException when the list is malformed
     */
    public static int count(String list) {
        String s = list.strip();
        if (s.isEmpty()) throw new IllegalArgumentException("list: empty");
        int n = 0;
        for (String part : s.split(",")) {
            int dash = part.indexOf('-');
            try {
                if (dash < 0) {
                    Integer.parseInt(part.strip());
                    n++;
                } else {
                    int from = Integer.parseInt(part.substring(0, dash).strip());
                    int to = Integer.parseInt(part.substring(dash + 1).strip());
                    if (to < from) throw new IllegalArgumentException("list: range " + part + " runs backwards");
                    n += to - from + 1;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("list: \"" + part + "\" is not a CPU or range", e);
            }
        }
        return n;
    }
}
