package io.bpf4j.api;

/**
 * A link's info ({@code struct bpf_link_info}).
 *
 * @param type the link type, or {@link LinkType#UNSPEC} when unknown
 * @param rawType the platform's number for the type
 * @param id the link's id
 * @param progId the attached program's id
 * @param details what the link is attached to, by link type
 */
public record LinkInfo(LinkType type, int rawType, int id, int progId, LinkDetails details) {
}
