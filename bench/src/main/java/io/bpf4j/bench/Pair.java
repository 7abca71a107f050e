package io.bpf4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Times a Java loop and a C loop doing the same work back to back within one invocation,
 * alternating which goes first, and adds up each side's nanoseconds and operations in JMH
 * counters (printed as the benchmark's secondary results {@code javaNs}, {@code javaOps},
 * {@code cNs}, {@code cOps}).
 *
 * <p>Why pairs: these machines have 2 cores shared with builds and tests, and a benchmark that
 * runs alone in its own fork sees a different machine from the next one; the ratio of two
 * forks moved by ±10% between runs. Interleaved at about a millisecond, both sides see the same
 * load, the same map and the same JIT state, so their ratio holds even when the absolute
 * numbers do not. {@code System.nanoTime} costs tens of nanoseconds per loop of a thousand
 * operations: below 0.01%.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class Pair {
    /** Nanoseconds spent in the Java loops over an iteration. */
    public long javaNs;
    /** Operations the Java loops did over an iteration. */
    public long javaOps;
    /** Nanoseconds spent in the C loops over an iteration. */
    public long cNs;
    /** Operations the C loops did over an iteration. */
    public long cOps;

    private boolean cFirst;

    /** One side's loop: {@code n} operations from key {@code start}; answers how many did their work. */
    @FunctionalInterface
    interface Loop<S> {
        long run(S state, int start, int n);
    }

    @Setup(Level.Iteration)
    public void clear() {
        javaNs = javaOps = cNs = cOps = 0;
    }

    /**
     * Runs both loops, {@code n} operations each, Java from key {@code javaStart} and C from
     * {@code cStart}, and checks each did all its work.
     *
     * @return the operations done, for the blackhole
     */
    <S> long run(S state, Loop<S> java, int javaStart, Loop<S> c, int cStart, int n, String what) {
        long jr;
        long cr;
        long t0 = System.nanoTime();
        if (cFirst) {
            cr = c.run(state, cStart, n);
            long t1 = System.nanoTime();
            jr = java.run(state, javaStart, n);
            long t2 = System.nanoTime();
            cNs += t1 - t0;
            javaNs += t2 - t1;
        } else {
            jr = java.run(state, javaStart, n);
            long t1 = System.nanoTime();
            cr = c.run(state, cStart, n);
            long t2 = System.nanoTime();
            javaNs += t1 - t0;
            cNs += t2 - t1;
        }
        cFirst = !cFirst;
        HashMapFixture.expect(jr, n, what + " (java)");
        HashMapFixture.expect(cr, n, what + " (c)");
        javaOps += n;
        cOps += n;
        return jr + cr;
    }
}
