package io.autotrade.web.dashboard.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

/**
 * The dashboard's static files, {@code /dashboard/*} from this bundle's {@code dashboard/} folder (OSGi Compendium
 * R8.1, 140.6 "Registering Resources"): the page, its script and stylesheet, and uPlot. They hold no data; the page
 * asks the trader for the API token and reads everything through the REST API.
 */
@Component(service = DashboardResources.class)
@HttpWhiteboardResource(pattern = "/dashboard/*", prefix = "/dashboard")
public class DashboardResources {
}
