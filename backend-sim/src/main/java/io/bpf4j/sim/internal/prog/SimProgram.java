package io.bpf4j.sim.internal.prog;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.kernel.SimBtf;
import io.bpf4j.sim.internal.maps.SimMap;
import io.bpf4j.sim.internal.vm.VmProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded program: its instructions, the interpreter's decoded form, and what
 * {@code bpf_prog_info} reports. It holds a reference to every map it uses (and every map bound
 * to it with {@code BPF_PROG_BIND_MAP}), as the kernel's {@code used_maps} does.
 */
public final class SimProgram extends KObject {
    private final Kernel kernel;
    private final ProgramType type;
    private final AttachType expectedAttachType;
    private final String name;
    private final long[] insns;
    private final String tag;
    private final List<SimMap> maps = new ArrayList<>();
    private final long loadTimeNs;
    private final int uid;
    private final boolean gpl;
    private final VmProgram vm;
    private final int verified;
    private long runTimeNs;
    /** The BTF its {@code func_info} and {@code line_info} refer to, held while the program lives. */
    private SimBtf btf;
    private long runCount;

    SimProgram(Kernel kernel, ProgramType type, AttachType expectedAttachType, String name, long[] insns,
            List<SimMap> maps, boolean gpl, VmProgram vm, int verified) {
        super(ObjKind.PROG);
        this.kernel = kernel;
        this.type = type;
        this.expectedAttachType = expectedAttachType;
        this.name = name;
        this.insns = insns.clone();
        this.tag = ProgTag.of(insns);
        for (SimMap m : maps) {
            m.hold();
            this.maps.add(m);
        }
        this.loadTimeNs = kernel.bootTimeNs();
        this.uid = kernel.config().uid();
        this.gpl = gpl;
        this.vm = vm;
        this.verified = verified;
    }

    @Override
    protected Kernel kernel() {
        return kernel;
    }

    /**
     * Keeps the BTF the program was loaded with, as {@code prog->aux->btf} does.
     *
     * @param b the BTF object
     */
    void btf(SimBtf b) {
        b.hold();
        btf = b;
    }

    /**
     * The id of the BTF the program was loaded with ({@code bpf_prog_info.btf_id}).
     *
     * @return the id, or 0 without program BTF
     */
    public int btfId() {
        return btf == null ? 0 : btf.id();
    }

    @Override
    protected void destroy() {
        for (SimMap m : maps) m.put();
        maps.clear();
        if (btf != null) btf.put();
        btf = null;
    }

    @Override
    public String describe() {
        return name.isEmpty() ? "program #" + id() : "program \"" + name + "\"";
    }

    /**
     * The program type.
     *
     * @return the type
     */
    public ProgramType type() {
        return type;
    }

    /**
     * The attach type it was verified for (after the kernel's defaults).
     *
     * @return the expected attach type, or null
     */
    public AttachType expectedAttachType() {
        return expectedAttachType;
    }

    /**
     * The name.
     *
     * @return the name, possibly empty
     */
    public String name() {
        return name;
    }

    /**
     * The instructions as loaded.
     *
     * @return a copy
     */
    public long[] insns() {
        return insns.clone();
    }

    /**
     * The instruction count.
     *
     * @return the count
     */
    public int length() {
        return insns.length;
    }

    /**
     * The kernel's tag: 16 hex digits.
     *
     * @return the tag
     */
    public String tag() {
        return tag;
    }

    /**
     * The maps it uses and the maps bound to it.
     *
     * @return the maps, in order
     */
    public List<SimMap> maps() {
        return maps;
    }

    /**
     * {@code BPF_PROG_BIND_MAP}: a map it does not use, kept alive as long as the program; binding
     * a map already used is a no-op.
     *
     * @param m the map
     */
    public void bind(SimMap m) {
        if (maps.contains(m)) return;
        m.hold();
        maps.add(m);
    }

    /**
     * Load time in ns since the simulated boot.
     *
     * @return the time
     */
    public long loadTimeNs() {
        return loadTimeNs;
    }

    /**
     * The loading user.
     *
     * @return the uid
     */
    public int uid() {
        return uid;
    }

    /**
     * Whether the license is GPL-compatible.
     *
     * @return true for GPL and its compatible licenses
     */
    public boolean gpl() {
        return gpl;
    }

    /**
     * The interpreter's form.
     *
     * @return the decoded program
     */
    public VmProgram vm() {
        return vm;
    }

    /**
     * Instructions the structural check walked.
     *
     * @return the count
     */
    public int verified() {
        return verified;
    }

    /**
     * Run time while statistics were enabled.
     *
     * @return ns
     */
    public long runTimeNs() {
        return runTimeNs;
    }

    /**
     * Runs while statistics were enabled.
     *
     * @return the count
     */
    public long runCount() {
        return runCount;
    }

    /**
     * Counts runs when statistics are on ({@code BPF_ENABLE_STATS}).
     *
     * @param runs how many runs
     * @param ns how long they took
     */
    public void account(long runs, long ns) {
        if (!kernel.statsEnabled()) return;
        runCount += runs;
        runTimeNs += ns;
    }
}
