package dev.stagecraft.release.webhook;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.DeploymentStatusChanged;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.FlagChanged;
import dev.stagecraft.platform.messaging.InboundEvent;
import dev.stagecraft.platform.secrets.SecretMasking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The body a receiver gets: the lifecycle event (or flag change) as a CloudEvent in JSON structured mode, so that any
 * CloudEvents SDK can read it. Fields are copied one by one rather than passing the Kafka payload on:
 * {@code deployment.requested} carries the release's merged config, which may hold credentials that must
 * not leave for a third party.
 */
@ApplicationScoped
public class WebhookPayloads {
    private final ObjectMapper mapper;

    public WebhookPayloads(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The environment the event is about, whose secrets are scrubbed from its message. */
    public String environmentOf(InboundEvent event) {
        return switch (event.type()) {
            case EventTypes.DEPLOYMENT_REQUESTED -> event.as(DeploymentRequested.class).environment();
            case EventTypes.FLAG_CHANGED -> event.as(FlagChanged.class).environment();
            default -> event.as(DeploymentStatusChanged.class).environment();
        };
    }

    /** The body, with every value of {@code secretValues} masked in the lifecycle message. */
    public String bodyOf(InboundEvent event, Collection<String> secretValues) {
        Map<String, Object> data;
        Instant time;
        String subject;
        if (EventTypes.DEPLOYMENT_REQUESTED.equals(event.type())) {
            DeploymentRequested requested = event.as(DeploymentRequested.class);
            data = requestedData(requested);
            time = requested.requestedAt();
            subject = requested.deploymentId();
        } else if (EventTypes.FLAG_CHANGED.equals(event.type())) {
            FlagChanged changed = event.as(FlagChanged.class);
            data = flagData(changed);
            time = changed.at();
            subject = changed.service() + "/" + changed.environment() + "/" + changed.key();
        } else {
            DeploymentStatusChanged changed = event.as(DeploymentStatusChanged.class);
            data = changedData(changed, secretValues);
            time = changed.at();
            subject = changed.deploymentId();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("specversion", "1.0");
        body.put("id", event.id());
        body.put("type", event.type());
        body.put("source", event.source() != null ? event.source() : "/stagecraft"); // required by CloudEvents
        body.put("subject", subject != null ? subject : event.key());
        if (time != null) {
            body.put("time", time);
        }
        body.put("datacontenttype", "application/json");
        body.put("data", data);
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the webhook body of " + event.type(), e);
        }
    }

    private static Map<String, Object> requestedData(DeploymentRequested r) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("deploymentId", r.deploymentId());
        data.put("service", r.service());
        data.put("version", r.version());
        data.put("environment", r.environment());
        data.put("status", "REQUESTED");
        data.put("strategy", r.strategy());
        data.put("requestedBy", r.requestedBy());
        data.put("at", r.requestedAt());
        return data;
    }

    /** Flags hold no secrets (and no OFREP token is ever part of one): the change goes out whole. */
    private static Map<String, Object> flagData(FlagChanged c) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("service", c.service());
        data.put("environment", c.environment());
        data.put("key", c.key());
        data.put("version", c.version());
        data.put("deleted", c.deleted());
        data.put("actor", c.actor());
        data.put("at", c.at());
        data.put("before", c.before());
        data.put("after", c.after());
        return data;
    }

    private static Map<String, Object> changedData(DeploymentStatusChanged c, Collection<String> secretValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("deploymentId", c.deploymentId());
        data.put("service", c.service());
        data.put("version", c.version());
        data.put("environment", c.environment());
        data.put("status", c.status());
        data.put("message", SecretMasking.scrubbed(c.message(), secretValues));
        data.put("at", c.at());
        return data;
    }
}
