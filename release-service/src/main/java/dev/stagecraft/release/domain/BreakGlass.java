package dev.stagecraft.release.domain;

import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.release.api.DeploymentRequest;

/**
 * An admin's written reason to deploy through a closed window or a freeze, or to undo through them and without
 * waiting for an approval.
 */
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

    /**
     * A break-glass undo ({@code {"override": true, "reason": "..."}}): the reason, stripped; 403 for a non-admin
     * (whatever else is wrong), 400 naming {@code reason} without one.
     */
    static String checkUndo(boolean callerIsAdmin, String actor, String reason) {
        if (!callerIsAdmin) {
            throw new ApiProblem(403, "Forbidden", actor + " may not override the gates of an undo",
                    List.of(new Problem.Violation("override", "break-glass undo is for admins only; without it the"
                            + " undo passes the environment's deploy window and approval like any deployment")));
        }
        Violations v = new Violations();
        if (reason == null || reason.isBlank()) {
            v.add("reason", "is required with override: a break-glass undo must say why");
        } else if (reason.length() > MAX_REASON) {
            v.add("reason", "at most " + MAX_REASON + " characters");
        }
        v.throwIfAny("invalid undo request");
        return reason.strip();
    }

    private BreakGlass() {
    }
}
