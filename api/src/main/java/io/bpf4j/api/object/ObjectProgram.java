package io.bpf4j.api.object;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.ProgramFlags;
import io.bpf4j.api.ProgramType;
import java.util.List;
import java.util.Objects;

/**
 * A program of an object file, linked: its own function followed by every subprogram it calls
 * (from {@code .text} or other sections), with call offsets fixed as libbpf fixes them. What
 * remains for load time is to put map descriptors into the instructions that refer to maps and
 * global variables. Immutable.
 */
public final class ObjectProgram {
    /**
     * An instruction that refers to a map: a {@code ld_imm64} that becomes the map's descriptor
     * ({@code BPF_PSEUDO_MAP_FD}) or the address of a byte of its value
     * ({@code BPF_PSEUDO_MAP_VALUE}, for global variables).
     *
     * @param insn the index of the {@code ld_imm64} in {@link #instructions()}
     * @param map the map's name in the object
     * @param value true for a value address
     * @param offset for a value address, the offset in the value
     */
    record MapRef(int insn, String map, boolean value, int offset) {
    }

    /**
     * A function of the object placed in the linked program.
     *
     * @param section the ELF section it comes from
     * @param function its symbol's name
     * @param start its first instruction in the section
     * @param length its instruction count
     * @param base its first instruction in the linked program
     */
    record Placement(String section, String function, int start, int length, int base) {
    }

    /**
     * An instruction that refers to a kernel symbol ({@code .ksyms}): a call to a kfunc, or a
     * {@code ld_imm64} of a kernel variable's or function's address.
     *
     * @param insn the index of the call or {@code ld_imm64} in {@link #instructions()}
     * @param name the symbol
     * @param call true for a call
     */
    record KsymRef(int insn, String name, boolean call) {
    }

    private final String name;
    private final String kernelName;
    private final String section;
    private final ProgramType type;
    private final AttachType expectedAttachType;
    private final int flags;
    private final Hook hook;
    private final String target;
    private final long[] instructions;
    private final int functionLength;
    private final List<MapRef> refs;
    private final int coreRelocations;
    private final int callbacks;
    private final List<Placement> layout;
    private final List<KsymRef> ksyms;
    private final String refusal;

    ObjectProgram(String name, String section, Sections.Convention c, long[] instructions, int functionLength,
            List<MapRef> refs, int coreRelocations, int callbacks, List<Placement> layout, List<KsymRef> ksyms) {
        this.layout = List.copyOf(layout);
        this.ksyms = List.copyOf(ksyms);
        this.coreRelocations = coreRelocations;
        this.callbacks = callbacks;
        this.name = Objects.requireNonNull(name);
        this.kernelName = SpecReader.kernelName(name);
        this.section = Objects.requireNonNull(section);
        this.type = c.type();
        this.expectedAttachType = c.expectedAttachType();
        this.flags = c.flags();
        this.hook = c.hook();
        this.target = c.target();
        this.refusal = c.refusal();
        this.instructions = instructions;
        this.functionLength = functionLength;
        this.refs = List.copyOf(refs);
    }

    /**
     * Why this program cannot be loaded, when its section names a program type the backends have no
     * {@link ProgramType} for (an eBPF for Windows {@code bind} program, for example). Such a program
     * is read and can be inspected; loading it is refused before anything is made, so leave it
     * out with {@link ObjectSpec#withPrograms(String...)}.
     *
     * @return the reason, or empty when it can be loaded
     */
    public java.util.Optional<String> whyNotLoadable() {
        return java.util.Optional.ofNullable(refusal);
    }

    /**
     * The function's name.
     *
     * @return the name of its symbol
     */
    public String name() {
        return name;
    }

    /**
     * The name the program is loaded with: the function's name cut to the kernel's 15 characters
     * (and any character the kernel refuses in a name made {@code _}).
     *
     * @return the kernel name
     */
    public String kernelName() {
        return kernelName;
    }

    /**
     * The ELF section it is in, e.g. {@code tracepoint/syscalls/sys_enter_getpid}.
     *
     * @return the section's name
     */
    public String section() {
        return section;
    }

    /**
     * The program type the section name gives.
     *
     * @return the type
     */
    public ProgramType type() {
        return type;
    }

    /**
     * The attach type the program is verified for, as the section name gives it.
     *
     * @return the attach type, or null when the load carries none
     */
    public AttachType expectedAttachType() {
        return expectedAttachType;
    }

    /**
     * The load flags the section name gives: {@link ProgramFlags#SLEEPABLE} for {@code .s}
     * sections and {@code syscall}, {@link ProgramFlags#XDP_HAS_FRAGS} for {@code xdp.frags}.
     *
     * @return {@link ProgramFlags} bits
     */
    public int flags() {
        return flags;
    }

    /**
     * Whether the program may sleep.
     *
     * @return true when {@link #flags()} has {@link ProgramFlags#SLEEPABLE}
     */
    public boolean sleepable() {
        return (flags & ProgramFlags.SLEEPABLE) != 0;
    }

    /**
     * How the program attaches.
     *
     * @return the hook
     */
    public Hook hook() {
        return hook;
    }

    /**
     * What the section names after its convention's prefix: {@code syscalls/sys_enter_getpid}
     * for {@code tracepoint/syscalls/sys_enter_getpid}, the function of a kprobe.
     *
     * @return the target, or empty
     */
    public String target() {
        return target;
    }

    /**
     * The linked instructions as the kernel's 64-bit words. Map references still hold 0 where
     * the descriptor goes.
     *
     * @return a copy
     */
    public long[] instructions() {
        return instructions.clone();
    }

    long[] instructionsShared() {
        return instructions;
    }

    /**
     * How many instructions the program has once linked.
     *
     * @return the count, subprograms included
     */
    public int instructionCount() {
        return instructions.length;
    }

    /**
     * How many of the instructions are the program's own function, before the subprograms.
     *
     * @return the count
     */
    public int functionLength() {
        return functionLength;
    }

    /**
     * How many CO-RE relocations the program's instructions carry ({@code .BTF.ext}), which the
     * loader applies against the target's BTF.
     *
     * @return the count, 0 for programs that need none
     */
    public int coreRelocations() {
        return coreRelocations;
    }

    /**
     * How many function addresses the program loads ({@code BPF_PSEUDO_FUNC}), the callbacks of
     * {@code bpf_loop} and the like. The kernel verifies those only with the program's BTF
     * {@code func_info}, so such a program needs the object's BTF to load.
     *
     * @return the count
     */
    public int callbacks() {
        return callbacks;
    }

    List<MapRef> mapRefs() {
        return refs;
    }

    /** The object's functions in the linked program, in the order they were placed. */
    List<Placement> layout() {
        return layout;
    }

    List<KsymRef> ksymRefs() {
        return ksyms;
    }

    /**
     * The kernel symbols the program refers to ({@code __ksym} externs): the kfuncs it calls and
     * the kernel variables and functions whose addresses it takes, each once, in order of first
     * use. The loader finds them in the kernel's BTF.
     *
     * @return the names
     */
    public List<String> kernelSymbols() {
        return ksyms.stream().map(KsymRef::name).distinct().toList();
    }

    /**
     * The names of the maps the program refers to, in order of first use.
     *
     * @return the names
     */
    public List<String> maps() {
        return refs.stream().map(MapRef::map).distinct().toList();
    }

    @Override
    public String toString() {
        return "ObjectProgram[" + name + " in '" + section + "': " + type
                + (expectedAttachType == null ? "" : "/" + expectedAttachType) + ", " + instructions.length + " insns]";
    }
}
