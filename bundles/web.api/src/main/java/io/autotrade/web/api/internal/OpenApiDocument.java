package io.autotrade.web.api.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 document of this API, a file of this bundle served by the
 * whiteboard (OSGi Compendium R8.1, 140.6 "Registering Resources"). {@code OpenApiDocumentTest} holds it to the
 * servlets' patterns.
 */
@Component(service = OpenApiDocument.class)
@HttpWhiteboardResource(pattern = Api.BASE + "/openapi.json", prefix = "/openapi.json")
public class OpenApiDocument {
}
