package io.bpf4j.sim.internal.kernel;

import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Injected failures. Each rule names an operation, an errno, optionally the one object it applies
 * to, and how many more times it fires (or always). Commands consult it once they know their
 * object, at the point where the kernel could fail, so an injected failure comes out exactly as a
 * kernel failure would.
 */
public final class FaultTable {
    /** One rule. {@code remaining} below 0 means always. */
    static final class Rule {
        final Operation op;
        final Errno errno;
        final KObject target;
        int remaining;

        Rule(Operation op, Errno errno, KObject target, int remaining) {
            this.op = op;
            this.errno = errno;
            this.target = target;
            this.remaining = remaining;
        }
    }

    private final List<Rule> rules = new ArrayList<>();

    /** Creates an empty table. */
    public FaultTable() {
    }

    /**
     * Adds a rule.
     *
     * @param op the operation
     * @param errno what it fails with
     * @param target the only object it applies to, or null for any
     * @param times how many times, or -1 for always
     */
    public void add(Operation op, Errno errno, KObject target, int times) {
        rules.add(new Rule(op, errno, target, times));
    }

    /** Removes every rule. */
    public void clear() {
        rules.clear();
    }

    /**
     * How many rules are still armed.
     *
     * @return the count
     */
    public int size() {
        return rules.size();
    }

    /**
     * Fails the operation if a rule says so.
     *
     * @param op the operation
     * @param obj the object it acts on, or null
     * @throws KErr when a rule fires
     */
    public void check(Operation op, KObject obj) {
        if (rules.isEmpty()) return;
        for (Iterator<Rule> it = rules.iterator(); it.hasNext();) {
            Rule r = it.next();
            if (r.op != op || (r.target != null && r.target != obj)) continue;
            if (r.remaining > 0 && --r.remaining == 0) it.remove();
            throw new KErr(r.errno, obj == null ? null : obj.describe(), null);
        }
    }
}
