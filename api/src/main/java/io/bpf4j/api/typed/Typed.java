package io.bpf4j.api.typed;

/** The Java type a built-in codec gives, so a record codec can check its components'. */
interface Typed {
    Class<?> javaType();
}
