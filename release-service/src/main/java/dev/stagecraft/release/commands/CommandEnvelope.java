package dev.stagecraft.release.commands;

import java.util.List;

import dev.stagecraft.contracts.CommandOutcome;

/**
 * A record from {@code stagecraft.commands} as far as its headers go. {@code commandId},
 * {@code idempotencyKey} and {@code type} are set only when usable as ids (a type may still be unknown);
 * {@code problems} names every header that is missing or wrong, an unknown type included. {@code data} is the record value, unread: the handler of the type
 * reads it like the body of its REST endpoint.
 *
 * @param position {@code topic-partition-offset}, the record's address when nothing else names it
 */
public record CommandEnvelope(String position, String recordKey, String commandId, String type,
        String idempotencyKey, String authorization, String data, List<CommandOutcome.Error> problems) {

    public CommandEnvelope {
        problems = List.copyOf(problems);
    }

    public boolean isReadable() {
        return problems.isEmpty();
    }
}
