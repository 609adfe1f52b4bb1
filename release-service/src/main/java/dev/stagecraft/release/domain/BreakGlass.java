package dev.stagecraft.release.domain;

import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.release.api.DeploymentRequest;

/** An admin's written reason to deploy through a closed window or a freeze. */
final class BreakGlass {
    static final int MAX_REASON = 500;

    /** The override's reason, null without one; a non-admin's override is refused (403) whatever else is wrong. */
    static String check(Violations v, DeploymentRequest.BreakGlass override, boolean callerIsAdmin, String actor) {
        if (override == null) {
            return null;
        }
        if (!callerIsAdmin) {
            throw new ApiProblem(403, "Forbidden", actor + " may not override deploy windows and freezes",
                    List.of(new Problem.Violation("override", "break-glass is for admins only")));
        }
        String reason = override.reason();
        if (reason == null || reason.isBlank()) {
            v.add("override.reason", "is required: a break-glass override must say why");
            return null;
        }
        if (reason.length() > MAX_REASON) {
            v.add("override.reason", "at most " + MAX_REASON + " characters");
            return null;
        }
        return reason.strip();
    }

    private BreakGlass() {
    }
}
