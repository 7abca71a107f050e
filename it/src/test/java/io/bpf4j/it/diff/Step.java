package io.bpf4j.it.diff;

/** One operation of a scenario: what it does, in words for the report, and how. */
record Step(String what, Step.Action action) {
    /** The operation against one backend; its return value is rendered by {@link Outcome}. */
    interface Action {
        Object run(Ctx c) throws Exception;
    }
}
