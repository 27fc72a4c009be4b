package io.autotrade.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DeployFolderTest {
    @Test
    void theDeployFolderIsTheNamedOneElseInTheDataFolderElseBesideEtc() {
        assertEquals(Path.of("/x/drop"), DeployFolder.folder("/x/drop", "/data", "/data/etc"));
        assertEquals(Path.of("/data/deploy"), DeployFolder.folder(null, "/data", "/elsewhere/etc"));
        assertEquals(Path.of("/srv/run/deploy"), DeployFolder.folder("", null, "/srv/run/etc"));
    }
}
