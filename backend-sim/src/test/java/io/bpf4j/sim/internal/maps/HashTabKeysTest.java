package io.bpf4j.sim.internal.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.UpdateFlags;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two keys longer than 8 bytes with the same hash and the same first 8 bytes are two elements: a
 * lookup that trusted the hash, or a word-sized prefix of the key, would merge them.
 */
class HashTabKeysTest {
    /** Two keys of {@code size} bytes, equal in their first 8 bytes, whose seed-0 hashes collide. */
    private static byte[][] collidingKeys(int size) {
        Map<Integer, byte[]> seen = new HashMap<>();
        for (int tail = 0; ; tail++) {
            byte[] key = new byte[size];
            Arrays.fill(key, 0, 8, (byte) 0x5a);
            ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).putInt(size - 4, tail);
            byte[] other = seen.putIfAbsent(Jhash.jhash(key, 0, size, 0), key);
            if (other != null) return new byte[][] {other, key};
        }
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 16})
    void keysWithTheSameHashAndFirstEightBytesStayApart(int size) {
        byte[][] keys = collidingKeys(size);
        assertFalse(Arrays.equals(keys[0], keys[1]));
        assertEquals(Jhash.jhash(keys[0], 0, size, 0), Jhash.jhash(keys[1], 0, size, 0));
        assertArrayEquals(Arrays.copyOf(keys[0], 8), Arrays.copyOf(keys[1], 8));
        for (MapType t : new MapType[] {MapType.HASH, MapType.LRU_HASH}) {
            try (Bpf sim = Bpf.open("sim")) {
                int m = sim.mapCreate(MapSpec.of(t, size, 8, 8).withFlags(MapFlags.ZERO_SEED));
                sim.mapUpdateElem(m, keys[0], u64(1), UpdateFlags.NOEXIST);
                sim.mapUpdateElem(m, keys[1], u64(2), UpdateFlags.NOEXIST);
                byte[] v = new byte[8];
                assertTrue(sim.mapLookupElem(m, keys[0], v, 0), t + ": first key");
                assertArrayEquals(u64(1), v, t + ": first key's value");
                assertTrue(sim.mapLookupElem(m, keys[1], v, 0), t + ": second key");
                assertArrayEquals(u64(2), v, t + ": second key's value");
                Set<String> walked = new HashSet<>();
                byte[] cur = null;
                byte[] next = new byte[size];
                while (sim.mapGetNextKey(m, cur, next)) {
                    walked.add(Arrays.toString(next));
                    cur = next.clone();
                }
                assertEquals(Set.of(Arrays.toString(keys[0]), Arrays.toString(keys[1])), walked, t + ": the walk");
                assertTrue(sim.mapDeleteElem(m, keys[1]), t + ": delete");
                assertTrue(sim.mapLookupElem(m, keys[0], v, 0), t + ": the first key survives the second's delete");
                assertFalse(sim.mapLookupElem(m, keys[1], v, 0), t + ": the second key is gone");
            }
        }
    }
}
