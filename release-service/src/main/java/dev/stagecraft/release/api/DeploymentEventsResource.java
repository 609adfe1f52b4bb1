package dev.stagecraft.release.api;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.security.Caller;
import dev.stagecraft.release.events.DeploymentEventStream;
import dev.stagecraft.release.events.TimelineEvent;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import io.smallrye.common.annotation.Blocking;

/**
 * {@code GET /api/v1/deployments/{id}/events}: the timeline as server-sent events, one per line, named after
 * the status it carries, with the line's sequence number as the event id. {@code Last-Event-ID} (or
 * {@code ?after=}) resumes after a line. The stream ends when the deployment has a final status.
 */
@Path("/api/v1/deployments")
@Authenticated
public class DeploymentEventsResource {
    private final DeploymentEventStream stream;
    private final Caller caller;
    private final ObjectMapper json;

    public DeploymentEventsResource(DeploymentEventStream stream, Caller caller, ObjectMapper json) {
        this.stream = stream;
        this.caller = caller;
        this.json = json;
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") String after, @Context Sse sse) {
        caller.requireViewer();
        long from = resumeAfter(lastEventId != null ? lastEventId : after, lastEventId != null ? "Last-Event-ID" : "after");
        // the existence check waits here (on a worker thread, one query) so that an unknown id is a plain 404:
        // once the stream's first bytes are out, a failure can no longer become a problem+json answer
        return stream.follow(id, from).await().atMost(Duration.ofSeconds(10)).map(e -> toSse(sse, e));
    }

    private OutboundSseEvent toSse(Sse sse, TimelineEvent event) {
        try {
            return sse.newEventBuilder().id(Long.toString(event.seq())).name(event.status())
                    .data(json.writeValueAsString(event)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static long resumeAfter(String value, String field) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long seq = Long.parseLong(value.trim());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest("invalid " + field,
                List.of(new Problem.Violation(field, "must be an event id from this stream (a whole number >= 0)")));
    }
}
