package io.bpf4j.api.events;

import io.bpf4j.api.MappedRing;
import io.bpf4j.api.RingWaiter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reader owns: its rings, its waiter and its wait helper. Released once, by the reader or
 * by its cleaner; it never refers to the reader, so a forgotten reader can be collected.
 */
final class Resources implements Runnable {
    private final List<MappedRing> rings = new ArrayList<>();
    private RingWaiter waiter;
    private Handoff handoff;

    synchronized void waiter(RingWaiter w) {
        waiter = w;
    }

    synchronized void ring(MappedRing r) {
        rings.add(r);
    }

    synchronized Handoff handoff() {
        if (handoff == null) handoff = new Handoff(waiter);
        return handoff;
    }

    @Override
    public synchronized void run() {
        RuntimeException first = null;
        if (handoff != null) handoff.stop();
        for (int i = rings.size() - 1; i >= 0; i--) {
            try {
                rings.get(i).close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        rings.clear();
        if (waiter != null) {
            try {
                waiter.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
