package io.bpf4j.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a backend supports: every {@link Operation}, {@link MapType}, {@link ProgramType},
 * {@link AttachType} and {@link LinkType}, each with a {@link Support}.
 *
 * <p>The report is honest: an operation reported supported works; one reported unsupported
 * throws {@link BpfUnsupportedException} with the same reason. Every constant of every enum has
 * an entry. An entry the backend could not decide this time is {@linkplain Support#known()
 * unknown}: the operation is attempted rather than refused, and a backend does not keep a report
 * that has such entries, so asking again probes them again (see {@link #conclusive()}).
 *
 * {@snippet :
 * try (Bpf bpf = Bpf.open()) {
 *     Support s = bpf.capabilities().mapType(MapType.ARENA);
 *     if (!s.supported()) System.out.println("no arena: " + s.reason());
 * }
 * }
 */
public final class Capabilities {
    private final Map<Operation, Support> operations;
    private final Map<MapType, Support> mapTypes;
    private final Map<ProgramType, Support> programTypes;
    private final Map<AttachType, Support> attachTypes;
    private final Map<LinkType, Support> linkTypes;

    private Capabilities(Builder b) {
        operations = complete(b.operations, Operation.class);
        mapTypes = complete(b.mapTypes, MapType.class);
        programTypes = complete(b.programTypes, ProgramType.class);
        attachTypes = complete(b.attachTypes, AttachType.class);
        linkTypes = complete(b.linkTypes, LinkType.class);
    }

    private static <E extends Enum<E>> Map<E, Support> complete(Map<E, Support> m, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (!m.containsKey(e)) throw new IllegalStateException("no capability entry for " + type.getSimpleName() + "." + e);
        }
        return Collections.unmodifiableMap(new EnumMap<>(m));
    }

    /**
     * Support for one operation.
     *
     * @param op the operation
     * @return its support
     */
    public Support operation(Operation op) {
        return operations.get(Objects.requireNonNull(op, "op"));
    }

    /**
     * Support for one map type.
     *
     * @param type the map type
     * @return its support
     */
    public Support mapType(MapType type) {
        return mapTypes.get(Objects.requireNonNull(type, "type"));
    }

    /**
     * Support for one program type.
     *
     * @param type the program type
     * @return its support
     */
    public Support programType(ProgramType type) {
        return programTypes.get(Objects.requireNonNull(type, "type"));
    }

    /**
     * Support for one attach type.
     *
     * @param type the attach type
     * @return its support
     */
    public Support attachType(AttachType type) {
        return attachTypes.get(Objects.requireNonNull(type, "type"));
    }

    /**
     * Support for one link type.
     *
     * @param type the link type
     * @return its support
     */
    public Support linkType(LinkType type) {
        return linkTypes.get(Objects.requireNonNull(type, "type"));
    }

    /**
     * Every operation's support, in declaration order.
     *
     * @return an unmodifiable map with an entry for every operation
     */
    public Map<Operation, Support> operations() {
        return operations;
    }

    /**
     * Every map type's support.
     *
     * @return an unmodifiable map with an entry for every map type
     */
    public Map<MapType, Support> mapTypes() {
        return mapTypes;
    }

    /**
     * Every program type's support.
     *
     * @return an unmodifiable map with an entry for every program type
     */
    public Map<ProgramType, Support> programTypes() {
        return programTypes;
    }

    /**
     * Every attach type's support.
     *
     * @return an unmodifiable map with an entry for every attach type
     */
    public Map<AttachType, Support> attachTypes() {
        return attachTypes;
    }

    /**
     * Every link type's support.
     *
     * @return an unmodifiable map with an entry for every link type
     */
    public Map<LinkType, Support> linkTypes() {
        return linkTypes;
    }

    /**
     * Whether every entry is conclusive: none is {@linkplain Support#known() unknown}.
     *
     * @return true when the backend could decide every entry
     */
    public boolean conclusive() {
        for (Map<?, Support> m : java.util.List.<Map<?, Support>>of(operations, mapTypes, programTypes, attachTypes, linkTypes)) {
            for (Support s : m.values()) {
                if (!s.known()) return false;
            }
        }
        return true;
    }

    /**
     * Starts a report; backends fill in every entry.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects a backend's entries; {@link #build()} checks that none is missing. */
    public static final class Builder {
        private final Map<Operation, Support> operations = new EnumMap<>(Operation.class);
        private final Map<MapType, Support> mapTypes = new EnumMap<>(MapType.class);
        private final Map<ProgramType, Support> programTypes = new EnumMap<>(ProgramType.class);
        private final Map<AttachType, Support> attachTypes = new EnumMap<>(AttachType.class);
        private final Map<LinkType, Support> linkTypes = new EnumMap<>(LinkType.class);

        private Builder() {
        }

        /**
         * Sets one operation's support.
         *
         * @param op the operation
         * @param s its support
         * @return this builder
         */
        public Builder operation(Operation op, Support s) {
            operations.put(Objects.requireNonNull(op, "op"), Objects.requireNonNull(s, "s"));
            return this;
        }

        /**
         * Sets one map type's support.
         *
         * @param type the map type
         * @param s its support
         * @return this builder
         */
        public Builder mapType(MapType type, Support s) {
            mapTypes.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(s, "s"));
            return this;
        }

        /**
         * Sets one program type's support.
         *
         * @param type the program type
         * @param s its support
         * @return this builder
         */
        public Builder programType(ProgramType type, Support s) {
            programTypes.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(s, "s"));
            return this;
        }

        /**
         * Sets one attach type's support.
         *
         * @param type the attach type
         * @param s its support
         * @return this builder
         */
        public Builder attachType(AttachType type, Support s) {
            attachTypes.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(s, "s"));
            return this;
        }

        /**
         * Sets one link type's support.
         *
         * @param type the link type
         * @param s its support
         * @return this builder
         */
        public Builder linkType(LinkType type, Support s) {
            linkTypes.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(s, "s"));
            return this;
        }

        /**
         * Finishes the report.
         *
         * @return the capabilities
         * @throws IllegalStateException if any constant of any enum has no entry
         */
        public Capabilities build() {
            return new Capabilities(this);
        }
    }
}
