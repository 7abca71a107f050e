package io.bpf4j.it.fuzz;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import java.util.HexFormat;

/**
 * One generated program on one backend: create the in/out maps, seed "in", load, test-run
 * once as a socket filter, read both maps back, close everything.
 */
final class FuzzRun {
    /** What a run shows: load outcome, retval, and both maps' bytes after the run. */
    record Result(boolean loaded, String loadError, String run, String in, String out, boolean cmpxchg32, int insns) {
        String observable() {
            return loaded ? "run=" + run + "\nin=" + in + "\nout=" + out : "rejected " + loadError;
        }
    }

    private FuzzRun() {
    }

    static Result run(Bpf bpf, long seed, boolean zeroExtendCmpxchg32) {
        int in = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 64, 1));
        int out = -1;
        int prog = -1;
        try {
            out = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, ProgGen.OUT_SIZE, 1));
            bpf.mapUpdateElem(in, new byte[4], ProgGen.input(seed), 0);
            ProgGen g = ProgGen.generate(seed, in, out, zeroExtendCmpxchg32);
            long[] insns = g.instructions();
            try {
                prog = bpf.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, insns, "GPL")).fd();
            } catch (VerifierException e) {
                return new Result(false, e.errno() + ": " + lastLine(e.log()), null, null, null, g.cmpxchg32, insns.length);
            } catch (BpfException e) {
                return new Result(false, e.errno().name(), null, null, null, g.cmpxchg32, insns.length);
            }
            String run;
            try {
                run = "retval " + Integer.toHexString(bpf.progTestRun(prog, TestRunSpec.ofData(new byte[64])).retval());
            } catch (BpfException e) {
                run = e.errno().name();
            }
            byte[] inV = new byte[64];
            byte[] outV = new byte[ProgGen.OUT_SIZE];
            bpf.mapLookupElem(in, new byte[4], inV, 0);
            bpf.mapLookupElem(out, new byte[4], outV, 0);
            return new Result(true, null, run, HexFormat.of().formatHex(inV), HexFormat.of().formatHex(outV), g.cmpxchg32,
                    insns.length);
        } finally {
            if (prog >= 0) bpf.closeFd(prog);
            if (out >= 0) bpf.closeFd(out);
            bpf.closeFd(in);
        }
    }

    private static String lastLine(String log) {
        if (log == null || log.isBlank()) return "(no log)";
        String[] lines = log.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].startsWith("processed") && !lines[i].isBlank()) return lines[i];
        }
        return lines[lines.length - 1];
    }
}
