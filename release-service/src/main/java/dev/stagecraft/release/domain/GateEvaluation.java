package dev.stagecraft.release.domain;

import java.util.List;

import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.ReleaseEntity;

/** The gates a request passed, with the release and environment they were checked against. */
public record GateEvaluation(ReleaseEntity release, EnvironmentEntity environment, List<Gate> gates) {
}
