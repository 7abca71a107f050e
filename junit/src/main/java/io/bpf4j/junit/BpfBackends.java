package io.bpf4j.junit;

import io.bpf4j.api.Availability;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import io.bpf4j.sim.Fault;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.sim.Simulator;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.opentest4j.TestAbortedException;

/**
 * The extension behind {@link BpfTest}, which registers it: one invocation per backend. Tests use
 * the annotation, not this class.
 */
public final class BpfBackends implements TestTemplateInvocationContextProvider {
    static final String REQUIRE_KERNEL = "bpf4j.junit.requireKernel";

    /** Made by JUnit for {@link BpfTest}. */
    public BpfBackends() {
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(BpfTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        BpfTest t = m.getAnnotation(BpfTest.class);
        List<InjectFault> faults = Arrays.asList(m.getAnnotationsByType(InjectFault.class));
        boolean simOnly = !faults.isEmpty() || Arrays.stream(m.getParameters()).map(Parameter::getType).anyMatch(SimBpf.class::equals);
        List<TestTemplateInvocationContext> runs = new ArrayList<>();
        for (BpfTest.Where w : t.value()) {
            if (w == BpfTest.Where.KERNEL && simOnly) continue;
            runs.add(new Run(w, faults, t.checkLeaks()));
        }
        if (runs.isEmpty()) {
            throw new IllegalStateException(m.getName() + ": @BpfTest(" + Arrays.toString(t.value()) + ") leaves no run: a test with"
                    + " @InjectFault or a SimBpf parameter runs on the simulator only");
        }
        return runs.stream();
    }

    /** Whether the kernel run must not skip. */
    static boolean kernelRequired() {
        return Boolean.getBoolean(REQUIRE_KERNEL) || Boolean.getBoolean("bpf4j.ci");
    }

    /** The machine's kernel backend, or why there is none. */
    static Bpf openKernel() {
        for (BpfProvider p : Bpf.providers()) {
            if (p.isKernel() && p.availability().available()) return Bpf.open();
        }
        StringBuilder why = new StringBuilder("no kernel backend is available here:");
        for (BpfProvider p : Bpf.providers()) {
            if (!p.isKernel()) continue;
            Availability a = p.availability();
            why.append(' ').append(p.name()).append(": ").append(a.reason()).append(';');
        }
        String reason = why.charAt(why.length() - 1) == ';' ? why.substring(0, why.length() - 1)
                : why + " no kernel backend is on the class path (add bpf4j-backend-linux or bpf4j-backend-windows)";
        if (kernelRequired()) throw new AssertionError(reason + " (and " + REQUIRE_KERNEL + " or bpf4j.ci says it must be)");
        throw new TestAbortedException(reason);
    }

    /** One run: its name, its backend, and the parameters and checks around it. */
    private static final class Run implements TestTemplateInvocationContext {
        private final BpfTest.Where where;
        private final List<InjectFault> faults;
        private final boolean checkLeaks;

        Run(BpfTest.Where where, List<InjectFault> faults, boolean checkLeaks) {
            this.where = where;
            this.faults = faults;
            this.checkLeaks = checkLeaks;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            if (where == BpfTest.Where.SIMULATOR) return "[sim]";
            for (BpfProvider p : Bpf.providers()) {
                if (p.isKernel() && p.availability().available()) return "[" + p.name() + "]";
            }
            return "[kernel]";
        }

        @Override
        public List<org.junit.jupiter.api.extension.Extension> getAdditionalExtensions() {
            return List.of(new Backend(this));
        }
    }

    /** Opens the run's backend before the test, resolves it, and checks and closes it after. */
    private static final class Backend implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Backend.class);
        private final Run run;

        Backend(Run run) {
            this.run = run;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            List<String> before = run.checkLeaks ? Descriptors.list() : List.of();
            Bpf bpf;
            if (run.where == BpfTest.Where.SIMULATOR) {
                SimBpf sim = Simulator.builder().build();
                for (InjectFault f : run.faults) {
                    Fault x = Fault.on(f.operation(), f.errno());
                    sim.faults().inject(f.times() == 0 ? x.always() : x.times(f.times()));
                }
                bpf = sim;
            } else {
                bpf = openKernel();
            }
            context.getStore(NS).put("bpf", bpf);
            context.getStore(NS).put("before", before);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void afterEach(ExtensionContext context) {
            Bpf bpf = context.getStore(NS).remove("bpf", Bpf.class);
            if (bpf == null) return;
            int simOpen = bpf instanceof SimBpf s ? s.openDescriptors() : 0;
            bpf.close();
            if (!run.checkLeaks || context.getExecutionException().isPresent()) return;
            if (simOpen != 0) {
                throw new AssertionError("the test left " + simOpen + " simulator descriptors open (close every handle it made)");
            }
            List<String> before = context.getStore(NS).remove("before", List.class);
            List<String> after = Descriptors.list();
            if (!after.equals(before)) {
                List<String> extra = new ArrayList<>(after);
                extra.removeAll(before);
                throw new AssertionError("the test left BPF descriptors open (fd -> what): " + extra);
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            Class<?> t = p.getParameter().getType();
            return t == Bpf.class || (t == SimBpf.class && run.where == BpfTest.Where.SIMULATOR);
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            Bpf bpf = e.getStore(NS).get("bpf", Bpf.class);
            if (bpf == null) throw new ParameterResolutionException("no backend is open for " + e.getDisplayName());
            return bpf;
        }
    }
}
