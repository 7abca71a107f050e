package io.bpf4j.internal.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import org.junit.jupiter.api.Test;

class MapRulesTest {
    private static final String MAP = "map \"m\"";

    private static void rejected(String param, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(param + ":"), e.getMessage());
    }

    @Test
    void createRefusesUnknownFlagsAndKeysOfKeylessTypes() {
        MapRules.create(MapSpec.of(MapType.HASH, 4, 8, 1).withFlags(1 << 18));
        rejected("flags", () -> MapRules.create(MapSpec.of(MapType.HASH, 4, 8, 1).withFlags(1 << 19)));
        rejected("keySize", () -> MapRules.create(MapSpec.of(MapType.QUEUE, 4, 8, 1)));
        MapRules.create(MapSpec.of(MapType.QUEUE, 0, 8, 1));
        assertThrows(NullPointerException.class, () -> MapRules.create(null));
    }

    @Test
    void userValueSizes() {
        assertEquals(16 * 3, MapRules.userValueSize(MapType.PERCPU_ARRAY, 12, 3));
        assertEquals(8 * 2, MapRules.userValueSize(MapType.PERCPU_HASH, 8, 2));
        assertEquals(4, MapRules.userValueSize(MapType.PROG_ARRAY, 4, 64));
        assertEquals(4, MapRules.userValueSize(MapType.HASH_OF_MAPS, 4, 64));
        assertEquals(12, MapRules.userValueSize(MapType.HASH, 12, 64));
    }

    @Test
    void keysValuesAndNextKeys() {
        MapRules.key(MapType.HASH, 4, new byte[4], MAP);
        rejected("key", () -> MapRules.key(MapType.HASH, 4, new byte[5], MAP));
        rejected("key", () -> MapRules.key(MapType.HASH, 4, null, MAP));
        MapRules.key(MapType.QUEUE, 0, null, MAP);
        MapRules.key(MapType.QUEUE, 0, new byte[0], MAP);
        rejected("key", () -> MapRules.key(MapType.QUEUE, 0, new byte[1], MAP));
        MapRules.currentKey(MapType.HASH, 4, null, MAP);
        rejected("key", () -> MapRules.currentKey(MapType.HASH, 4, new byte[3], MAP));
        rejected("nextKey", () -> MapRules.nextKey(4, new byte[8], MAP));
        rejected("nextKey", () -> MapRules.nextKey(4, null, MAP));
        MapRules.value(MapType.PERCPU_ARRAY, 12, 32, new byte[32], MAP);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MapRules.value(MapType.PERCPU_ARRAY, 12, 32, new byte[24], MAP));
        assertTrue(e.getMessage().contains("round_up(12, 8) * possible CPUs"), e.getMessage());
        rejected("value", () -> MapRules.value(MapType.HASH, 8, 8, null, MAP));
    }

    @Test
    void elementFlags() {
        for (long ok : new long[] {0, 1, 2, 4, 5, 6}) MapRules.updateFlags(ok, "flags");
        for (long bad : new long[] {3, 7, 8, 1L << 40, -1}) rejected("flags", () -> MapRules.updateFlags(bad, "flags"));
        MapRules.lookupFlags(0, "flags");
        MapRules.lookupFlags(4, "flags");
        for (long bad : new long[] {1, 2, 8, -1}) rejected("flags", () -> MapRules.lookupFlags(bad, "flags"));
    }

    @Test
    void batches() {
        byte[] k = new byte[8];
        byte[] v = new byte[16];
        assertEquals(4, MapRules.lookupBatch(2, 8, null, new byte[4], k, v, 2, 0, 0, MAP));
        rejected("outBatch", () -> MapRules.lookupBatch(2, 8, null, new byte[2], k, v, 2, 0, 0, MAP));
        rejected("inBatch", () -> MapRules.lookupBatch(4, 8, new byte[3], new byte[4], k, v, 2, 0, 0, MAP));
        rejected("values", () -> MapRules.lookupBatch(4, 8, null, new byte[4], k, null, 2, 0, 0, MAP));
        rejected("count", () -> MapRules.lookupBatch(4, 8, null, new byte[4], k, v, 0, 0, 0, MAP));
        rejected("flags", () -> MapRules.lookupBatch(4, 8, null, new byte[4], k, v, 2, 0, 1, MAP));
        rejected("elemFlags", () -> MapRules.lookupBatch(4, 8, null, new byte[4], k, v, 2, 1, 0, MAP));
        rejected("keys", () -> MapRules.updateBatch(4, 8, k, v, 3, 0, 0, MAP));
        rejected("values", () -> MapRules.updateBatch(4, 16, k, v, 2, 0, 0, MAP));
        rejected("elemFlags", () -> MapRules.updateBatch(4, 8, k, v, 2, 3, 0, MAP));
        MapRules.deleteBatch(4, k, 2, 0, 0, MAP);
        rejected("elemFlags", () -> MapRules.deleteBatch(4, k, 2, 4, 0, MAP));
        rejected("count", () -> MapRules.deleteBatch(4, k, -1, 0, 0, MAP));
    }
}
