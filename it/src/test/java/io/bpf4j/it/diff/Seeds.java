package io.bpf4j.it.diff;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * Seeds of the randomised differential runs: a fixed set in CI, or the one given with
 * {@code -Dbpf4j.diff.seed=N} to replay a reported failure.
 */
public final class Seeds {
    private Seeds() {
    }

    /** The CI seeds, or just the replayed one. */
    public static LongStream of(long... ci) {
        String replay = System.getProperty("bpf4j.diff.seed");
        if (replay != null && !replay.isBlank()) return LongStream.of(Long.parseLong(replay.strip()));
        return Arrays.stream(ci);
    }
}
