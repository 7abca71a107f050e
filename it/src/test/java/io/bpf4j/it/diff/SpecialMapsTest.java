package io.bpf4j.it.diff;

import static io.bpf4j.it.diff.Bytes.k;
import static io.bpf4j.it.diff.Bytes.v;

import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.UpdateFlags;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Errno matrices of the map types whose commands mean something else: queue and stack (push,
 * peek, pop, overwrite with BPF_EXIST), bloom filter (the value is the query), ring buffer
 * (no element commands), prog array and maps of maps (values are descriptors, lookups give
 * ids, compared as "id of map#N"). A key size on a keyless type is in {@link FormerDifferencesTest}.
 */
class SpecialMapsTest {
    @ParameterizedTest
    @EnumSource(value = MapType.class, names = {"QUEUE", "STACK"})
    void queueAndStack(MapType t) {
        Scenario s = new Scenario("errno matrix " + t);
        MapOps m = new MapOps(s);
        m.create("bad#2", MapSpec.of(t, 0, 0, 4));
        m.create("bad#3", MapSpec.of(t, 0, 8, 0));
        m.create("bad#4", MapSpec.of(t, 0, 8, 4).withFlags(MapFlags.ZERO_SEED));
        m.create("map#1", MapSpec.of(t, 0, 8, 3));
        m.lookup("map#1", null);
        m.lookupAndDelete("map#1", null, 0);
        for (int i = 1; i <= 3; i++) m.update("map#1", null, v(i), UpdateFlags.ANY);
        m.update("map#1", null, v(4), UpdateFlags.ANY);
        m.update("map#1", null, v(5), UpdateFlags.NOEXIST);
        m.update("map#1", null, v(6), UpdateFlags.EXIST);
        m.update("map#1", null, v(7), UpdateFlags.LOCK);
        m.lookup("map#1", null);
        m.lookup("map#1", null, UpdateFlags.LOCK);
        m.delete("map#1", null);
        m.nextKey("map#1", null);
        m.lookupBatch("map#1", false, "c", true, 4, true);
        m.update("map#1", null, v(8), UpdateFlags.EXIST);
        m.lookupAndDelete("map#1", null, UpdateFlags.LOCK);
        for (int i = 0; i < 4; i++) m.lookupAndDelete("map#1", null, 0);
        m.update("map#1", null, v(9), UpdateFlags.ANY);
        m.freeze("map#1");
        m.update("map#1", null, v(10), UpdateFlags.ANY);
        m.lookup("map#1", null);
        m.lookupAndDelete("map#1", null, 0);
        m.info("map#1");
        Diff.assertSame(s);
    }

    /** The bloom filter with a zero seed: the same bits, hence the same false positives. */
    @Test
    void bloomFilter() {
        Scenario s = new Scenario("errno matrix BLOOM_FILTER");
        MapOps m = new MapOps(s);
        m.create("bad#2", MapSpec.of(MapType.BLOOM_FILTER, 0, 8, 0));
        m.create("bad#3", MapSpec.of(MapType.BLOOM_FILTER, 0, 8, 4).withMapExtra(16));
        m.create("map#1", MapSpec.of(MapType.BLOOM_FILTER, 0, 8, 4).withFlags(MapFlags.ZERO_SEED).withMapExtra(3));
        m.info("map#1");
        for (long i = 1; i <= 5; i++) m.update("map#1", null, v(i * 7919), UpdateFlags.ANY);
        m.update("map#1", null, v(1), UpdateFlags.EXIST);
        m.update("map#1", null, v(1), UpdateFlags.NOEXIST);
        s.step("query 0..199 (value is the query; lists the maybe-present)", c -> {
            List<Integer> hits = new ArrayList<>();
            for (int q = 0; q < 200; q++) {
                if (c.bpf.mapLookupElem(c.fd("map#1"), null, v(q), 0)) hits.add(q);
            }
            return hits;
        });
        s.step("query 7919*1..5", c -> {
            List<Boolean> hits = new ArrayList<>();
            for (int q = 1; q <= 5; q++) hits.add(c.bpf.mapLookupElem(c.fd("map#1"), null, v(q * 7919L), 0));
            return hits;
        });
        m.delete("map#1", null);
        m.nextKey("map#1", null);
        m.lookupAndDelete("map#1", null, 0);
        m.freeze("map#1");
        m.update("map#1", null, v(2), UpdateFlags.ANY);
        Diff.assertSame(s);
    }

    @Test
    void ringBuffer() {
        Scenario s = new Scenario("errno matrix RINGBUF");
        MapOps m = new MapOps(s);
        m.create("bad#2", MapSpec.of(MapType.RINGBUF, 0, 8, 4096));
        m.create("bad#3", MapSpec.of(MapType.RINGBUF, 0, 0, 4097));
        m.create("bad#4", MapSpec.of(MapType.RINGBUF, 0, 0, 0));
        m.create("map#1", MapSpec.of(MapType.RINGBUF, 0, 0, 8192));
        m.info("map#1");
        m.lookup("map#1", null);
        m.update("map#1", null, new byte[0], UpdateFlags.ANY);
        m.delete("map#1", null);
        m.nextKey("map#1", null);
        m.freeze("map#1");
        Diff.assertSame(s);
    }

    @Test
    void progArray() {
        Scenario s = new Scenario("errno matrix PROG_ARRAY");
        MapOps m = new MapOps(s);
        m.create("bad#1", MapSpec.of(MapType.PROG_ARRAY, 4, 8, 4));
        m.create("bad#2", MapSpec.of(MapType.PROG_ARRAY, 8, 4, 4));
        m.create("map#1", MapSpec.of(MapType.PROG_ARRAY, 4, 4, 4));
        m.create("map#2", MapSpec.of(MapType.ARRAY, 4, 8, 1));
        Progs.load(s, "prog#1", ProgramType.SOCKET_FILTER, 0);
        Progs.load(s, "prog#2", ProgramType.XDP, 2);
        m.lookupId("map#1", k(0));
        m.updateFd("map#1", k(0), "prog#1", UpdateFlags.ANY);
        m.updateFd("map#1", k(1), "prog#1", UpdateFlags.NOEXIST);
        m.updateFd("map#1", k(1), "prog#1", UpdateFlags.EXIST);
        m.updateFd("map#1", k(7), "prog#1", UpdateFlags.ANY);
        m.updateFd("map#1", k(2), "map#2", UpdateFlags.ANY);
        m.updateFd("map#1", k(2), "prog#2", UpdateFlags.ANY);
        m.update("map#1", k(3), k(9999), UpdateFlags.ANY);
        m.lookupId("map#1", k(0));
        m.walk("map#1", true);
        m.delete("map#1", k(0));
        m.delete("map#1", k(0));
        m.delete("map#1", k(9));
        m.lookupAndDelete("map#1", k(0), 0);
        m.lookupBatch("map#1", false, "c", true, 4, true);
        m.freeze("map#1");
        Diff.assertSame(s);
    }

    @ParameterizedTest
    @EnumSource(value = MapType.class, names = {"ARRAY_OF_MAPS", "HASH_OF_MAPS"})
    void mapsOfMaps(MapType t) {
        Scenario s = new Scenario("errno matrix " + t);
        MapOps m = new MapOps(s);
        m.create("inner#1", MapSpec.of(MapType.ARRAY, 4, 8, 1));
        m.create("inner#2", MapSpec.of(MapType.ARRAY, 4, 8, 1));
        m.create("inner#3", MapSpec.of(MapType.ARRAY, 4, 16, 1));
        m.create("inner#4", MapSpec.of(MapType.HASH, 4, 8, 1));
        m.create("bad#1", MapSpec.of(t, 4, 4, 4));
        m.createOuter("bad#2", MapSpec.of(t, 4, 8, 4), "inner#1");
        // Zero seed: the hash of maps walks in the kernel's bucket order, compared exactly.
        int flags = t == MapType.HASH_OF_MAPS ? MapFlags.ZERO_SEED : 0;
        m.createOuter("map#1", MapSpec.of(t, 4, 4, 2).withFlags(flags), "inner#1");
        m.lookupId("map#1", k(0));
        m.updateFd("map#1", k(0), "inner#1", UpdateFlags.ANY);
        m.updateFd("map#1", k(0), "inner#2", UpdateFlags.NOEXIST);
        m.updateFd("map#1", k(1), "inner#2", UpdateFlags.EXIST);
        m.updateFd("map#1", k(1), "inner#2", UpdateFlags.ANY);
        m.updateFd("map#1", k(2), "inner#2", UpdateFlags.ANY);
        m.updateFd("map#1", k(1), "inner#3", UpdateFlags.ANY);
        m.updateFd("map#1", k(1), "inner#4", UpdateFlags.ANY);
        m.update("map#1", k(1), k(9999), UpdateFlags.ANY);
        m.lookupId("map#1", k(0));
        m.lookupId("map#1", k(1));
        m.walk("map#1", true);
        m.delete("map#1", k(0));
        m.delete("map#1", k(0));
        m.lookupAndDelete("map#1", k(1), 0);
        m.lookupId("map#1", k(1));
        m.freeze("map#1");
        m.updateFd("map#1", k(0), "inner#1", UpdateFlags.ANY);
        Diff.assertSame(s);
    }
}
