package io.bpf4j.sim.internal.events;

import io.bpf4j.api.MappedRing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A ring "mapped" by the simulator: views of a {@link RingMemory}. Closing runs the action given
 * at mapping time once (dropping the reference the mapping held, as {@code munmap} does).
 */
public final class SimRing implements MappedRing {
    private final RingMemory memory;
    private final ByteBuffer consumer;
    private final ByteBuffer producer;
    private final ByteBuffer data;
    private Runnable onClose;
    /** For perf rings: whether a wake-up is pending ({@code rb->poll} in the kernel). */
    final boolean perf;

    SimRing(RingMemory memory, ByteBuffer consumer, ByteBuffer producer, ByteBuffer data, Runnable onClose, boolean perf) {
        this.memory = memory;
        this.consumer = consumer;
        this.producer = producer;
        this.data = data;
        this.onClose = onClose;
        this.perf = perf;
    }

    RingMemory memory() {
        return memory;
    }

    @Override
    public ByteBuffer consumerPosition() {
        return consumer.duplicate().order(ByteOrder.nativeOrder());
    }

    @Override
    public ByteBuffer producerPosition() {
        return producer.duplicate().order(ByteOrder.nativeOrder());
    }

    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.nativeOrder());
    }

    @Override
    public int size() {
        return memory.size();
    }

    @Override
    public void close() {
        Runnable r;
        synchronized (this) {
            r = onClose;
            onClose = null;
        }
        if (r != null) r.run();
    }
}
