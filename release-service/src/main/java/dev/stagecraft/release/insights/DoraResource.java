package dev.stagecraft.release.insights;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.release.insights.DoraCalculator.Figures;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/insights/dora?service=&environment=&since=}: the DORA figures per service and environment for
 * the deployments that ended since {@code since} (an RFC 3339 time or a date; default 30 days ago) until now.
 * Every role may read them.
 */
@Path("/api/v1/insights/dora")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DoraResource {
    static final Duration DEFAULT_RANGE = Duration.ofDays(30);

    public record Answer(Instant since, Instant until, List<Figures> figures) {
    }

    private final DoraHistory history;
    private final java.time.Clock clock;

    public DoraResource(DoraHistory history, java.time.Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    @GET
    public Uni<Answer> dora(@QueryParam("service") String service, @QueryParam("environment") String environment,
            @QueryParam("since") String since) {
        Instant until = clock.instant();
        Instant from = since == null || since.isBlank() ? until.minus(DEFAULT_RANGE) : parse(since);
        if (!from.isBefore(until)) {
            throw ApiProblem.badRequest("invalid range", List.of(new Problem.Violation("since", "must be in the past")));
        }
        return history.load(blankToNull(service), blankToNull(environment))
                .map(ended -> new Answer(from, until, DoraCalculator.figures(ended, from, until)));
    }

    static Instant parse(String since) {
        try {
            return OffsetDateTime.parse(since).toInstant();
        } catch (DateTimeParseException notATime) {
            try {
                return LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw ApiProblem.badRequest("invalid range", List.of(new Problem.Violation("since",
                        "'" + since + "' is neither an RFC 3339 time (2026-11-01T00:00:00Z) nor a date (2026-11-01)")));
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
