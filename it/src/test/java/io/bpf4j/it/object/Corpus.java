package io.bpf4j.it.object;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.Simulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;

/**
 * The object corpus (api/src/test/resources/objects, copied onto this module's test class path)
 * and the two backends every object is loaded on: the kernel and the simulator.
 */
final class Corpus {
    private Corpus() {
    }

    /** The backends each test runs on, by name. */
    static Stream<String> backends() {
        return Stream.of("linux", "sim");
    }

    static Bpf open(String backend) {
        return backend.equals("linux") ? LinuxKernel.open() : Simulator.builder().build();
    }

    static ObjectSpec spec(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream("/objects/" + name)) {
            if (in == null) throw new IllegalStateException("test object " + name + " is not on the class path");
            return ObjectSpec.parse(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static long u64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static int u32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }
}
