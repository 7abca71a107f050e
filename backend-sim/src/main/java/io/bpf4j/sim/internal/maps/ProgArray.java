package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.prog.SimProgram;
import io.bpf4j.sim.internal.vm.VmProgArray;
import io.bpf4j.sim.internal.vm.VmProgram;

/** The prog array: an {@link FdArray} of programs that the interpreter's tail calls jump through. */
public final class ProgArray extends FdArray implements VmProgArray {
    /**
     * Creates the array.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     */
    public ProgArray(Kernel kernel, MapSpec spec) {
        super(kernel, spec, null);
    }

    @Override
    public VmProgram program(int index) {
        KObject o = get(Integer.toUnsignedLong(index));
        return o == null ? null : ((SimProgram) o).vm();
    }
}
