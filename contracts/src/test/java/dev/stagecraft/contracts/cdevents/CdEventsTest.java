package dev.stagecraft.contracts.cdevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CdEventsTest {
    static final String PURL = "pkg:generic/shop@1.1.0?checksum=sha256:" + "ab".repeat(32);

    static Stream<Arguments> mappings() {
        Map<String, Object> staging = Map.of("id", "staging");
        return Stream.of(
                Arguments.of(CdEvents.serviceDeployed("shop", "staging", PURL), "dev.cdevents.service.deployed.0.3.0",
                        "shop", Map.of("environment", staging, "artifactId", PURL)),
                Arguments.of(CdEvents.serviceUpgraded("shop", "staging", PURL), "dev.cdevents.service.upgraded.0.3.0",
                        "shop", Map.of("environment", staging, "artifactId", PURL)),
                Arguments.of(CdEvents.serviceRolledBack("shop", "staging", PURL),
                        "dev.cdevents.service.rolledback.0.3.0", "shop", Map.of("environment", staging, "artifactId", PURL)),
                Arguments.of(CdEvents.serviceRemoved("shop", "staging"), "dev.cdevents.service.removed.0.3.0", "shop",
                        Map.of("environment", staging)),
                Arguments.of(CdEvents.environmentCreated("staging"), "dev.cdevents.environment.created.0.3.0",
                        "staging", Map.of("name", "staging")),
                Arguments.of(CdEvents.environmentModified("staging"), "dev.cdevents.environment.modified.0.3.0",
                        "staging", Map.of("name", "staging")),
                Arguments.of(CdEvents.artifactPublished("shop", PURL, "alice"), "dev.cdevents.artifact.published.0.3.0", PURL,
                        Map.of("user", "alice")),
                Arguments.of(CdEvents.artifactPublished("shop", PURL, " "), "dev.cdevents.artifact.published.0.3.0", PURL,
                        Map.of()),
                Arguments.of(CdEvents.incidentDetected("d-1", "verdict FAIL: readiness", "shop", "staging", PURL),
                        "dev.cdevents.incident.detected.0.3.0", "incident/d-1", Map.of("description",
                                "verdict FAIL: readiness", "environment", staging, "service", Map.of("id", "shop"),
                                "artifactId", PURL)),
                Arguments.of(CdEvents.incidentResolved("d-1", null, "shop", "staging", null),
                        "dev.cdevents.incident.resolved.0.3.0", "incident/d-1", Map.of("environment", staging,
                                "service", Map.of("id", "shop"))));
    }

    @ParameterizedTest(name = "{1} about {2}")
    @MethodSource("mappings")
    void eachFactMapsToItsTypeSubjectAndContent(CdEvent event, String type, String subject, Map<String, Object> content) {
        assertEquals(type, event.type());
        assertEquals(subject, event.subjectId());
        assertEquals(content, event.content());
        assertEquals(type.startsWith("dev.cdevents.environment.") ? "staging" : "shop", event.key(),
                "keyed by the service, or the environment");
    }

    @Test
    void theDocumentCarriesTheRecordsIdSourceAndTime() {
        Map<String, Object> doc = CdEvents.serviceDeployed("shop", "staging", PURL)
                .document("e-1", "/stagecraft/release-service", Instant.parse("2026-12-07T00:10:00.120Z"));
        assertEquals(List.of("context", "subject"), List.copyOf(doc.keySet()));
        assertEquals(Map.of("specversion", "0.6.0-draft", "id", "e-1", "source", "/stagecraft/release-service",
                "type", "dev.cdevents.service.deployed.0.3.0", "timestamp", "2026-12-07T00:10:00.120Z"), doc.get("context"));
        assertEquals(Map.of("id", "shop", "content", Map.of("environment", Map.of("id", "staging"), "artifactId", PURL)),
                doc.get("subject"));
    }

    @Test
    void everyTypeIsListedOnce() {
        assertEquals(9, CdEventTypes.ALL.stream().distinct().count());
    }

    @Test
    void aSubjectOrReferenceWithoutAnIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CdEvents.serviceDeployed("", "staging", PURL));
        assertThrows(IllegalArgumentException.class, () -> CdEvents.serviceRemoved("shop", null));
    }

    @ParameterizedTest(name = "{0} {1} → {3}")
    @CsvSource({
            "shop, 1.0.0, ABCDEF, pkg:generic/shop@1.0.0?checksum=sha256:abcdef",
            "shop, 1.1.0-rc.1+build.5, ab, pkg:generic/shop@1.1.0-rc.1%2Bbuild.5?checksum=sha256:ab",
            "my-svc, 2.0.0_x~y, 00, pkg:generic/my-svc@2.0.0_x~y?checksum=sha256:00",
            "a b, 1/2, 00, pkg:generic/a%20b@1%2F2?checksum=sha256:00",
    })
    void artifactsArePackageUrls(String service, String version, String sha, String purl) {
        assertEquals(purl, ArtifactPurl.of(service, version, sha));
    }
}
