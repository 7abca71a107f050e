package io.bpf4j.sim.internal.vm;

import static io.bpf4j.api.asm.Opcodes.*;

import java.util.Arrays;
import java.util.Objects;

/**
 * Runs loaded programs: the simulator's eBPF interpreter, one per thread (an instance is not
 * thread-safe, and keeps its registers, stack and region table between runs to allocate
 * nothing per instruction).
 *
 * <p>A run goes: hand the memory the program may see to the {@code Vm} ({@link #context},
 * {@link #packetContext}, {@link #region}), each call returning the pointer to pass in a
 * register; then {@link #run(VmProgram, long, long)}. The run ends when the main function
 * exits, returning {@code r0}; all regions of the run are forgotten then, whatever happened.
 * {@link #instructionCount()} tells how many instructions it executed. It stops with
 * {@link VmException} on any access outside the regions, on a call stack deeper than eight
 * frames, or when it exceeds its instruction budget.
 *
 * <p>Helpers get this object and use its public accessors ({@link #read}, {@link #write},
 * {@link #map}, {@link #valuePointer} ...), which check every pointer the same way.
 */
public final class Vm {
    /** The default instruction budget of one run. */
    public static final long DEFAULT_BUDGET = 1_000_000;
    /** The kernel's {@code MAX_TAIL_CALL_CNT}: tail calls allowed in one run. */
    public static final int MAX_TAIL_CALLS = 33;

    static final int SIGNAL_STOP = 1;
    static final int SIGNAL_TAIL_CALL = 2;

    final Memory mem = new Memory();
    final long[] regs = new long[16];
    final VmProgram[] frameProg = new VmProgram[Memory.MAX_FRAMES];
    final int[] frameRet = new int[Memory.MAX_FRAMES];
    final long[] frameSaved = new long[Memory.MAX_FRAMES * 4];
    /**
     * The {@code may_goto} count of each frame, as x86-64's timed {@code may_goto} keeps it in a
     * stack slot of each function ({@code do_misc_fixups()}): 0 at the function's entry, refreshed
     * to {@code BPF_MAX_TIMED_LOOPS} by {@link #timedMayGoto} when it runs out, one fewer per pass.
     */
    final long[] mayGoto = new long[Memory.MAX_FRAMES];
    /** When each frame's first {@code may_goto} ran ({@code System.nanoTime()}), or {@link #NO_STAMP}. */
    final long[] mayGotoStamp = new long[Memory.MAX_FRAMES];
    /** Instructions the run executed before {@code may_goto} passes restarted its budget. */
    long credit;
    static final long NO_STAMP = Long.MIN_VALUE;
    /** {@code BPF_MAX_TIMED_LOOPS}. */
    static final long MAX_TIMED_LOOPS = 0xffff;
    /** {@code bpf_check_timed_may_goto()}'s time slice: a quarter of a second. */
    static final long MAY_GOTO_SLICE_NS = 250_000_000L;

    /** A function starts: its {@code may_goto} slot is zero, as the rewrite's prologue stores it. */
    void enterFrame(int frame) {
        mayGoto[frame] = 0;
        mayGotoStamp[frame] = NO_STAMP;
    }

    /**
     * {@code bpf_check_timed_may_goto()}: the first call stamps the frame and grants
     * {@code BPF_MAX_TIMED_LOOPS} passes; later calls grant as many again until a quarter of a
     * second has passed since the stamp, then 0, which ends the loop.
     */
    long timedMayGoto(int frame) {
        long now = System.nanoTime();
        if (mayGotoStamp[frame] == NO_STAMP) {
            mayGotoStamp[frame] = now;
            return MAX_TIMED_LOOPS;
        }
        return now - mayGotoStamp[frame] >= MAY_GOTO_SLICE_NS ? 0 : MAX_TIMED_LOOPS;
    }
    long budget = DEFAULT_BUDGET;
    int signal;
    long stopValue;
    long executed;
    /** Instructions the run may still execute; the interpreter keeps it here across helper calls. */
    long left;
    /** The frame of the instruction that called the running helper. */
    int depth;

    /** What runs programs: {@link Engine#current()} unless a test sets another. */
    Engine engine = Engine.DEFAULT;
    private VmProgram current;
    private VmProgram tailTarget;
    /** How many bytes below the main frame's pointer this run has zeroed. */
    private int zeroedDepth;
    private int tailCalls;
    /** The context view {@link #packetContext} made last, for the next run on the same packet. */
    private PacketContext lastPacketCtx;
    /** {@link #readKey}'s and {@link #readValue}'s arrays, by length (the usual sizes). */
    private final byte[][] keyScratch = new byte[65][];
    private final byte[][] valueScratch = new byte[257][];
    private final RunMaps maps = new RunMaps(mem);
    private final RingReservations reservations = new RingReservations(mem);
    /** Whether this run has a packet context: {@link #lastPacketCtx}. */
    private boolean packetCtxSet;
    private boolean running;
    private final CallFrames frames = new CallFrames(this);
    private final Dynptrs dynptrs = new Dynptrs(this);

    private final VmEnvironment env = new VmEnvironment();

    /** Creates an interpreter with the default budget, CPU 0, this process as task and a fresh trace log. */
    public Vm() {}

    // ---- configuration ----

    /**
     * Sets the most instructions one run may execute before it stops with {@link VmException}.
     *
     * @param instructions the budget, at least 1
     * @return this interpreter
     */
    public Vm instructionBudget(long instructions) {
        if (instructions < 1) {
            throw new IllegalArgumentException("instructions: " + instructions + " is not positive");
        }
        this.budget = instructions;
        return this;
    }

    /**
     * What helpers see of the world outside the program (CPU, task, clocks, random source,
     * trace log, attach cookie), to read or to set before a run.
     *
     * @return this interpreter's environment
     */
    public VmEnvironment env() {
        return env;
    }

    // ---- memory of the next run ----

    /**
     * Makes an array slice visible to the next run.
     *
     * @param array the memory
     * @param offset where the region starts in {@code array}
     * @param length the region length
     * @param writable whether the program may store into it
     * @return the pointer to the start of the region
     */
    public long region(byte[] array, int offset, int length, boolean writable) {
        Objects.requireNonNull(array, "array");
        Objects.checkFromIndexSize(offset, length, array.length);
        return mem.ptr(add(array, offset, length, writable, "memory"), 0);
    }

    /**
     * Makes a context structure visible to the next run, writable.
     *
     * @param ctx the context bytes, used in place
     * @return the pointer to pass in {@code r1}
     */
    public long context(byte[] ctx) {
        Objects.requireNonNull(ctx, "ctx");
        return mem.ptr(add(ctx, 0, ctx.length, true, "context"), 0);
    }

    /**
     * Makes a packet program's context and packet visible to the next run. Loads of the
     * 32-bit pointer fields of the context read pointers into the packet, as after the kernel's
     * context rewrite; the other fields are plain bytes of {@code ctx}.
     *
     * @param ctx the context bytes ({@code struct xdp_md} or {@code struct __sk_buff}), used in place
     * @param packet the packet
     * @param layout where the pointer fields are in {@code ctx}
     * @return the pointer to pass in {@code r1}
     */
    public long packetContext(byte[] ctx, VmPacket packet, PacketLayout layout) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(layout, "layout");
        // A test run with a repeat count passes the same packet every time: its view is reused.
        PacketContext pc = lastPacketCtx;
        if (pc == null || pc.packet != packet || pc.dataField != layout.dataField() || pc.dataEndField != layout.dataEndField()
                || pc.metaField != layout.metaField()) {
            pc = lastPacketCtx = new PacketContext(packet, layout.dataField(), layout.dataEndField(), layout.metaField());
        }
        int id;
        try {
            id = mem.addContext(ctx, pc);
        } catch (Memory.Fault f) {
            throw new VmException(-1, f.getMessage());
        }
        mem.slowPathOnly(id);
        pc.map(mem);
        packetCtxSet = true;
        return mem.ptr(id, 0);
    }

    private int add(byte[] a, int offset, int length, boolean writable, String what) {
        try {
            return mem.add(a, offset, length, writable, what);
        } catch (Memory.Fault f) {
            throw new VmException(-1, f.getMessage());
        }
    }

    // ---- running ----

    /**
     * Runs a program with one argument.
     *
     * @param program the program
     * @param r1 the context pointer (or any value)
     * @return {@code r0} at exit
     */
    public long run(VmProgram program, long r1) {
        return run(program, r1, 0, 0, 0, 0);
    }

    /**
     * Runs a program with two arguments, e.g. the conformance convention of memory and length.
     *
     * @param program the program
     * @param r1 the first argument
     * @param r2 the second argument
     * @return {@code r0} at exit
     */
    public long run(VmProgram program, long r1, long r2) {
        return run(program, r1, r2, 0, 0, 0);
    }

    /**
     * Runs a program with five arguments. Registers {@code r0} and {@code r6}..{@code r9} start
     * at zero, {@code r10} at the top of a 512-byte frame whose bytes the program can reach are zero
     * ({@link VmLoader#stackDepth}): the whole frame unless a verifier said how deep it reaches.
     *
     * @param program the program
     * @param r1 the first argument
     * @param r2 the second argument
     * @param r3 the third argument
     * @param r4 the fourth argument
     * @param r5 the fifth argument
     * @return {@code r0} at exit
     * @throws VmException when the program faults or exceeds its budget
     */
    public long run(VmProgram program, long r1, long r2, long r3, long r4, long r5) {
        Objects.requireNonNull(program, "program");
        if (running) {
            throw new IllegalStateException("this Vm is already running a program; use one Vm per thread");
        }
        running = true;
        try {
            Arrays.fill(regs, 0);
            regs[1] = r1;
            regs[2] = r2;
            regs[3] = r3;
            regs[4] = r4;
            regs[5] = r5;
            regs[10] = mem.framePointer(0);
            zeroMainFrame(0, program.stackDepth);
            enter(program);
            long r0 = engine.exec(this, program);
            reservations.checkNoneHeld();
            return r0;
        } finally {
            reservations.reset();
            maps.reset();
            // Calls leave their slot empty on return; only a run that faulted inside one leaves any set.
            for (int i = 0; i < frameProg.length; i++) {
                if (frameProg[i] != null) frameProg[i] = null;
            }
            frames.reset();
            dynptrs.reset();
            // current stays, so that the next run's enter() need not store the same program again
            // (see Memory.region); it is read only during a run.
            tailTarget = null;
            tailCalls = 0;
            signal = 0;
            packetCtxSet = false;
            mem.reset();
            running = false;
        }
    }

    /**
     * The number of instructions the last run executed, counting the final {@code exit}.
     *
     * @return the count
     */
    public long instructionCount() {
        return executed;
    }

    /** Makes {@code p} the running program: gives its maps handles in this run. */
    void enter(VmProgram p) {
        if (current != p) current = p;
        maps.bind(p);
    }

    /** The value of a {@code ld_imm64} with a pseudo source, resolved in this run. */
    long pseudo(int src, long k, int offset) {
        if (src == PSEUDO_FUNC) {
            return frames.address((int) k);
        }
        if (src == PSEUDO_MAP_FD || src == PSEUDO_MAP_IDX) {
            return maps.pointer((int) k);
        }
        return maps.directValue(current, (int) k, offset, env.cpu());
    }

    /** A legacy {@code BPF_ABS}/{@code BPF_IND} load: big-endian, -1 when out of the packet. */
    long legacyLoad(long off, int n) {
        if (!packetCtxSet) {
            throw new VmException(-1, "legacy packet load (BPF_ABS/BPF_IND) without a packet context");
        }
        VmPacket p = lastPacketCtx.packet;
        if (off < 0 || off > p.length() - n) {
            return -1;
        }
        byte[] b = p.buffer();
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (b[p.data + (int) off + i] & 0xff);
        }
        return v;
    }

    /**
     * The program a tail call from frame {@code depth} continues in, made current. In the main
     * frame, a target that reaches deeper than what this run zeroed gets the rest zeroed; a
     * called frame was zeroed whole when it was entered.
     */
    VmProgram takeTailCall(int depth) {
        VmProgram p = tailTarget;
        tailTarget = null;
        if (depth == 0) zeroMainFrame(zeroedDepth, p.stackDepth);
        enter(p);
        return p;
    }

    /**
     * Zeroes the main frame's bytes from {@code from} to {@code to} below the frame pointer, and
     * records how deep this run has zeroed it ({@code from} when that is deeper). Only what the verifier saw a program reach: a
     * 512-byte fill was about 6% of a short packet parser's run.
     */
    private void zeroMainFrame(int from, int to) {
        if (to > from) Arrays.fill(mem.stack, Memory.FRAME_SIZE - to, Memory.FRAME_SIZE - from, (byte) 0);
        zeroedDepth = Math.max(from, to);
    }

    // ---- for helpers ----

    /**
     * A register's current value.
     *
     * @param n 0 to 10
     * @return the register
     */
    public long register(int n) {
        Objects.checkIndex(n, 11);
        return regs[n];
    }

    /**
     * Copies a key out of program memory for a map command, which keeps no reference to it
     * ({@link VmMap}): into an array of this Vm's, reused by the next such call.
     *
     * @param addr the pointer
     * @param length the number of bytes
     * @return this Vm's key array of {@code length} bytes, valid until the next call
     * @throws VmException when the range is not inside one region the program holds
     */
    public byte[] readKey(long addr, int length) {
        return readInto(keyScratch, addr, length);
    }

    /**
     * Copies a value out of program memory for a map update, which copies it ({@link VmMap}):
     * into an array of this Vm's, apart from the key's, reused by the next such call.
     *
     * @param addr the pointer
     * @param length the number of bytes
     * @return this Vm's value array of {@code length} bytes, valid until the next call
     * @throws VmException when the range is not inside one region the program holds
     */
    public byte[] readValue(long addr, int length) {
        return readInto(valueScratch, addr, length);
    }

    private byte[] readInto(byte[][] scratch, long addr, int length) {
        if (length < 0 || length >= scratch.length) return read(addr, length);
        byte[] a = scratch[length];
        if (a == null) a = scratch[length] = new byte[length];
        read(addr, a, 0, length);
        return a;
    }

    /**
     * Copies program memory out into a new array.
     *
     * @param addr the pointer
     * @param length the number of bytes
     * @return a new array
     * @throws VmException when the range is not inside one region the program holds
     */
    public byte[] read(long addr, int length) {
        byte[] out = new byte[Math.max(length, 0)];
        read(addr, out, 0, length);
        return out;
    }

    /**
     * Copies program memory into an array.
     *
     * @param addr the pointer
     * @param dst the destination
     * @param offset where to write in {@code dst}
     * @param length the number of bytes
     * @throws VmException when the range is not inside one region the program holds
     */
    public void read(long addr, byte[] dst, int offset, int length) {
        try {
            mem.read(addr, dst, offset, length);
        } catch (Memory.Fault f) {
            throw new VmException(-1, f.getMessage());
        }
    }

    /**
     * Copies bytes into program memory.
     *
     * @param addr the pointer
     * @param src the bytes
     * @param offset where to start in {@code src}
     * @param length the number of bytes
     * @throws VmException when the range is not inside one writable region the program holds
     */
    public void write(long addr, byte[] src, int offset, int length) {
        try {
            mem.write(addr, src, offset, length);
        } catch (Memory.Fault f) {
            throw new VmException(-1, f.getMessage());
        }
    }

    /**
     * Reads a NUL-terminated string from program memory, stopping at the NUL, at
     * {@code maxLength} bytes or at the end of the region.
     *
     * @param addr the pointer
     * @param maxLength the most bytes to read
     * @return the string, decoded as ISO-8859-1 so every byte maps to one char
     */
    public String readString(long addr, int maxLength) {
        int id = mem.idOf(addr);
        if (id <= 0 || mem.map[id] != null) {
            throw new VmException(-1, "invalid read of a string at " + Memory.hex(addr));
        }
        int o = (int) addr;
        int size = mem.size[id];
        if (o < 0 || o >= size) {
            throw new VmException(-1, "invalid read of a string at " + Memory.hex(addr));
        }
        StringBuilder sb = new StringBuilder();
        byte[] a = mem.arr[id];
        for (int i = o; i < size && sb.length() < maxLength; i++) {
            byte b = a[mem.start(id) + i];
            if (b == 0) {
                break;
            }
            sb.append((char) (b & 0xff));
        }
        return sb.toString();
    }

    /**
     * The map a map pointer (from {@code ld_imm64}) stands for.
     *
     * @param ptr the register value
     * @return the map
     * @throws VmException when {@code ptr} is not a map pointer of this run
     */
    public VmMap map(long ptr) {
        int id = mem.idOf(ptr);
        if (id <= 0 || mem.map[id] == null || (int) ptr != 0) {
            throw new VmException(-1, "expected a map pointer, got " + Memory.hex(ptr));
        }
        return mem.map[id];
    }

    /**
     * A map pointer for a map found at run time (an inner map of a map of maps), usable like
     * one loaded with {@code ld_imm64} until the run ends.
     *
     * @param m the map
     * @return the pointer
     */
    public long mapPointer(VmMap m) {
        return mem.ptr(maps.region(m), 0);
    }

    /**
     * A pointer to a map's live value array, for a lookup's result; the same array gives the
     * same pointer throughout a run.
     *
     * @param map the map owning {@code value}
     * @param value the live value storage
     * @return the pointer
     */
    public long valuePointer(VmMap map, byte[] value) {
        try {
            return mem.valuePointer(map, value);
        } catch (Memory.Fault f) {
            throw new VmException(-1, f.getMessage());
        }
    }

    /**
     * Requests a tail call: when the helper returns, the interpreter continues at the first
     * instruction of {@code program} in the same frame. Counts against {@link #MAX_TAIL_CALLS}.
     *
     * @param program the target
     * @return {@code false} when the run already made {@link #MAX_TAIL_CALLS} tail calls, as the
     *     kernel then falls through
     */
    public boolean tailCall(VmProgram program) {
        Objects.requireNonNull(program, "program");
        if (tailCalls >= MAX_TAIL_CALLS) {
            return false;
        }
        tailCalls++;
        tailTarget = program;
        signal = SIGNAL_TAIL_CALL;
        return true;
    }

    /**
     * Stops the run when the helper returns, as if the program exited with {@code r0}.
     *
     * @param r0 the run's result
     */
    public void stop(long r0) {
        stopValue = r0;
        signal = SIGNAL_STOP;
    }

    // ---- callbacks ----

    /**
     * Calls a subprogram whose address the program passed to the running helper, in a new frame
     * as the kernel's helpers call callbacks (see {@link CallFrames#call}).
     *
     * @param fn the subprogram's address, from {@code ld_imm64} with {@code BPF_PSEUDO_FUNC}
     * @param a1 the first argument
     * @param a2 the second argument
     * @param a3 the third argument
     * @param a4 the fourth argument
     * @param a5 the fifth argument
     * @return the callback's {@code r0}
     * @throws VmException when {@code fn} is no subprogram address of this run, the frames run
     *     out, or the callback faults
     */
    public long callback(long fn, long a1, long a2, long a3, long a4, long a5) {
        return frames.call(fn, a1, a2, a3, a4, a5);
    }

    /**
     * Checks that a helper's argument is a subprogram address of this run, as the kernel's
     * verifier checks an {@code ARG_PTR_TO_FUNC}.
     *
     * @param fn the argument
     * @param helper the helper, for the message
     * @throws VmException when it is not
     */
    public void checkCallback(long fn, String helper) {
        frames.check(fn, helper);
    }

    CallFrames frames() {
        return frames;
    }

    VmProgram current() {
        return current;
    }

    VmException signalInCallback(int pc) {
        signal = 0;
        tailTarget = null;
        return new VmException(pc, "tail call or stop inside a callback: not simulated");
    }

    Dynptrs dynptrs() {
        return dynptrs;
    }

    // ---- ring buffer records and packets, for the built-in helpers ----

    long reserve(VmRingBuffer ring, byte[] record) {
        return reservations.reserve(add(record, 0, record.length, true, "ring buffer record"), ring, record);
    }

    /** Submits or discards a reservation; the record's pointer stops working. */
    void endReservation(long ptr, boolean discard, long flags) {
        reservations.end(ptr, discard, flags);
    }

    PacketContext packetContext() {
        if (!packetCtxSet) {
            throw new VmException(-1, "this helper needs a packet context");
        }
        return lastPacketCtx;
    }

    void remapPacket() {
        packetContext().remap(mem);
    }
}
