package io.bpf4j.sim.internal.vm;

import io.bpf4j.api.asm.Helper;
import java.util.Arrays;
import java.util.Objects;

/**
 * The helper functions a program may call, by Linux helper id. Immutable: {@link #with} and
 * {@link #without} return new tables, so one table can be shared by all programs of a type.
 *
 * <p>A program calling an id the table lacks is rejected at load, with the kernel's wording:
 * {@code invalid func unknown#N} for an id Linux does not have, and
 * {@code program of this type cannot use helper bpf_NAME#N} for one the table leaves out.
 */
public final class HelperTable {
    private static final HelperTable EMPTY = new HelperTable(new VmHelper[Helper.maxId() + 1]);

    private final VmHelper[] byId;

    private HelperTable(VmHelper[] byId) {
        this.byId = byId;
    }

    /**
     * A table with no helpers.
     *
     * @return the empty table
     */
    public static HelperTable empty() {
        return EMPTY;
    }

    /**
     * The helpers the simulator implements, under their Linux ids: map access (lookup, update,
     * delete, push, pop, peek), time, random numbers, CPU id, {@code trace_printk}, tail calls,
     * ring buffers, {@code perf_event_output}, the current task's ids and name, the attach cookie, the
     * packet helpers for skb and XDP programs, the device helpers ({@code check_mtu}, the
     * redirects), the skb's protocol and hash, socket lookups, the helpers that call back into the program
     * ({@code loop}, {@code for_each_map_elem}, {@code user_ringbuf_drain}) and the dynptr
     * helpers ({@code dynptr_read}, {@code dynptr_write}, {@code dynptr_data}). A backend narrows it per program type with
     * {@link #without}.
     *
     * @return the standard table
     */
    public static HelperTable linux() {
        return StandardHelpers.TABLE;
    }

    /**
     * A table with one helper added or replaced.
     *
     * @param id the helper id, 1 or more (ids beyond Linux's are allowed for test helpers)
     * @param helper the implementation
     * @return a new table
     */
    public HelperTable with(int id, VmHelper helper) {
        Objects.requireNonNull(helper, "helper");
        if (id < 1 || id > 0xffff) {
            throw new IllegalArgumentException("id: " + id + " is not in 1..65535");
        }
        VmHelper[] copy = Arrays.copyOf(byId, Math.max(byId.length, id + 1));
        copy[id] = helper;
        return new HelperTable(copy);
    }

    /**
     * A table with one helper added or replaced.
     *
     * @param helper the Linux helper
     * @param impl the implementation
     * @return a new table
     */
    public HelperTable with(Helper helper, VmHelper impl) {
        return with(Objects.requireNonNull(helper, "helper").id(), impl);
    }

    /**
     * A table without some helpers, e.g. those a program type may not call.
     *
     * @param ids the helper ids to remove
     * @return a new table
     */
    public HelperTable without(int... ids) {
        VmHelper[] copy = byId.clone();
        for (int id : ids) {
            if (id > 0 && id < copy.length) {
                copy[id] = null;
            }
        }
        return new HelperTable(copy);
    }

    /**
     * The helper with an id.
     *
     * @param id the helper id
     * @return the implementation, or {@code null} when the table lacks it
     */
    public VmHelper get(int id) {
        return id > 0 && id < byId.length ? byId[id] : null;
    }

    /** The table as an array indexed by id, shared with loaded programs (never modified). */
    VmHelper[] array() {
        return byId;
    }
}
