package dev.stagecraft.release.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.logging.Logger;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.artifact.ArtifactStore;
import dev.stagecraft.platform.artifact.Artifacts;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The artifact store over HTTP: upload the bytes once, then name them in releases as
 * {@code stagecraft-artifact:sha256:<hex>}. The server computes the sha256 and the size itself; the same bytes
 * uploaded again are the same artifact. Blocking (file I/O), so these run on worker threads.
 */
@Path("/api/v1/artifacts")
@Authenticated
public class ArtifactResource {
    private static final Logger LOG = Logger.getLogger(ArtifactResource.class);

    private final Artifacts artifacts;
    private final Caller caller;

    public ArtifactResource(Artifacts artifacts, Caller caller) {
        this.artifacts = artifacts;
        this.caller = caller;
    }

    /** 201 {uri, sha256, size}; 413 over the size limit (nothing kept); deployers and admins. */
    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Response upload(@HeaderParam("Content-Length") Long declaredLength,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                            format = "binary"))) InputStream body) {
        caller.requireAnyDeployer();
        long max = artifacts.maxSize();
        if (declaredLength != null && declaredLength > max) {
            throw tooLarge(max); // refused before a byte is read
        }
        try {
            ArtifactStore.Stored stored = artifacts.store().put(body, max);
            LOG.infof("%s uploaded artifact %s (%d bytes)", caller.name(), stored.uri(), stored.size());
            return Response.created(URI.create("/api/v1/artifacts/" + stored.sha256()))
                    .entity(ArtifactView.of(stored)).build();
        } catch (ArtifactStore.TooLargeException e) {
            throw tooLarge(max);
        } catch (IOException e) {
            throw new IllegalStateException("cannot store the upload: " + e.getMessage(), e);
        }
    }

    /** {uri, sha256, size} of a stored artifact; 404. */
    @GET
    @Path("/{sha256}")
    public ArtifactView get(@PathParam("sha256") String sha256) {
        caller.requireViewer();
        return ArtifactView.of(stored(sha256));
    }

    /** The artifact's bytes, for hosts that do not share the store's directory. */
    @GET
    @Path("/sha256/{sha256}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response download(@PathParam("sha256") String sha256) throws IOException {
        caller.requireViewer();
        ArtifactStore.Stored stored = stored(sha256);
        return Response.ok(Files.newInputStream(stored.path())).header("Content-Length", stored.size()).build();
    }

    private ArtifactStore.Stored stored(String sha256) {
        return artifacts.store().find(sha256).orElseThrow(() -> ApiProblem.notFound("no artifact with sha256 "
                + (sha256.matches("[0-9a-fA-F]{64}") ? sha256 : "of that form") + " in the store"));
    }

    private static ApiProblem tooLarge(long max) {
        return new ApiProblem(413, "Content Too Large", "the artifact is larger than the store accepts",
                List.of(new Problem.Violation("body", "at most " + max + " bytes (STAGECRAFT_ARTIFACT_MAX_SIZE)")));
    }
}
