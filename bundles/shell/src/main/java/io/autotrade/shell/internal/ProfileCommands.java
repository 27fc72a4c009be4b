package io.autotrade.shell.internal;

import io.autotrade.api.event.DatabaseProfiles;
import io.autotrade.api.event.DbProfileSwitched;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo command {@code trade:profile}: the named databases and switching between them. */
@Component(service = ProfileCommands.class, property = {"osgi.command.scope=trade", "osgi.command.function=profile"})
public class ProfileCommands {
    private final DatabaseProfiles profiles;

    /** @param profiles the database profiles */
    @Activate
    public ProfileCommands(@Reference DatabaseProfiles profiles) {
        this.profiles = profiles;
    }

    /**
     * @param force  switch although orders are in flight
     * @param action {@code list} or {@code switch}
     * @param name   the profile to switch to
     * @return the profiles, or what the switch did
     */
    @Descriptor("database profiles: 'profile list'; 'profile switch NAME' backs the current database up, then moves the"
            + " runtime to NAME.db (refused while an order is in flight unless --force)")
    public String profile(
            @Descriptor("switch even with orders in flight (logged)") @Parameter(names = "--force", presentValue = "true",
                    absentValue = "false") boolean force,
            @Descriptor("list | switch") String action,
            @Descriptor("profile name (for switch)") String... name) {
        return switch (action) {
            case "list" -> {
                Table t = new Table("", "profile", "file", "size (bytes)");
                profiles.list().forEach(p -> t.row(p.current() ? "*" : "", p.name(), p.file(), p.sizeBytes()));
                yield t.toString();
            }
            case "switch" -> {
                if (name.length != 1) {
                    throw new IllegalArgumentException("usage: profile switch [--force] NAME");
                }
                try {
                    DbProfileSwitched s = profiles.switchTo(name[0], force);
                    yield "switched " + s.from() + " -> " + s.to() + (s.forced() ? " (FORCED with orders in flight)" : "")
                            + "; backup of " + s.from() + ": " + s.backupFile();
                } catch (IllegalStateException refused) {
                    yield "profile switch refused: " + refused.getMessage();
                }
            }
            default -> throw new IllegalArgumentException("unknown profile action '" + action + "': use list or switch NAME");
        };
    }
}
