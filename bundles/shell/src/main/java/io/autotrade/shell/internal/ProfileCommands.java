package io.autotrade.shell.internal;

import io.autotrade.api.config.ConfigGate;
import io.autotrade.api.config.DatabaseProfiles;
import io.autotrade.api.config.DbProfileSwitched;
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
     * @param noWait refuse instead of holding while orders are in flight
     * @param action {@code list} or {@code switch}
     * @param name   the profile to switch to
     * @return the profiles, or what the switch did
     */
    @Descriptor("database profiles: 'profile list'; 'profile switch NAME' backs the current database up, then moves the"
            + " runtime to NAME.db (held while an order is in flight, refused with --no-wait, at once with --force)")
    public String profile(
            @Descriptor("switch even with orders in flight (logged)") @Parameter(names = "--force", presentValue = "true",
                    absentValue = "false") boolean force,
            @Descriptor("refuse instead of waiting while orders are in flight") @Parameter(names = "--no-wait",
                    presentValue = "true", absentValue = "false") boolean noWait,
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
                if (force && noWait) {
                    throw new IllegalArgumentException("--force and --no-wait contradict each other");
                }
                try {
                    DatabaseProfiles.SwitchResult r = profiles.switchTo(name[0],
                            force ? ConfigGate.Mode.FORCE : noWait ? ConfigGate.Mode.NO_WAIT : ConfigGate.Mode.WAIT);
                    if (!r.switched()) {
                        yield "profile switch to " + name[0] + " held until no order is in flight (orders: "
                                + String.join(", ", r.waitingFor()) + "); trade:pending lists it";
                    }
                    DbProfileSwitched s = r.event();
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
