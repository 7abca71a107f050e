package io.bpf4j.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds providers and applies the selection rules of {@link Bpf#open()}. */
final class Backends {
    /** System property naming a backend. */
    static final String PROPERTY = "bpf4j.backend";
    /** Environment variable naming a backend, read when the property is unset. */
    static final String ENV = "BPF4J_BACKEND";

    private Backends() {
    }

    static List<BpfProvider> providers() {
        List<BpfProvider> all = new ArrayList<>();
        ServiceLoader.load(BpfProvider.class, Backends.class.getClassLoader()).forEach(all::add);
        if (all.isEmpty()) ServiceLoader.load(BpfProvider.class).forEach(all::add);
        all.sort(Comparator.comparingInt(BpfProvider::priority).reversed().thenComparing(BpfProvider::name));
        return List.copyOf(all);
    }

    /** The backend the user named through the property or the environment, or null. */
    static String configuredName() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) name = System.getenv(ENV);
        return name == null || name.isBlank() ? null : name.trim().toLowerCase(Locale.ROOT);
    }

    static Bpf open(String name) {
        if (name == null) name = configuredName();
        List<BpfProvider> all = providers();
        if (name != null) return openNamed(name.toLowerCase(Locale.ROOT), all);
        StringBuilder why = new StringBuilder("no kernel backend is available");
        List<Throwable> causes = new ArrayList<>();
        for (BpfProvider p : all) {
            Availability a = p.availability();
            if (p.isKernel() && a.available()) return p.open();
            why.append("\n  ").append(p.name()).append(": ")
                    .append(a.available() ? "available, but not a kernel backend (open it by name)" : a.reason());
            if (a.cause() != null) causes.add(a.cause());
        }
        if (all.isEmpty()) why.append("\n  no provider on the class or module path (add bpf4j-backend-linux, -windows or -sim)");
        BackendUnavailableException e = new BackendUnavailableException(why.toString());
        causes.forEach(e::addSuppressed);
        throw e;
    }

    private static Bpf openNamed(String name, List<BpfProvider> all) {
        for (BpfProvider p : all) {
            if (!p.name().equals(name)) continue;
            Availability a = p.availability();
            if (!a.available()) throw new BackendUnavailableException("backend " + name + " is unavailable: " + a.reason(), a.cause());
            return p.open();
        }
        StringBuilder known = new StringBuilder();
        for (BpfProvider p : all) known.append(known.length() == 0 ? "" : ", ").append(p.name());
        throw new BackendUnavailableException("no backend named \"" + name + "\" (found: "
                + (known.length() == 0 ? "none" : known) + ")");
    }
}
