package io.autotrade.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads a child runtime's SQLite database, for the tests that run the launcher as a process. */
final class Sql {
    private Sql() {
    }

    /**
     * @param database the database file
     * @param sql      a query
     * @return its first column, row by row
     * @throws java.sql.SQLException if the database cannot be read (the child may be writing it: read again)
     */
    static List<String> column(Path database, String sql) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
