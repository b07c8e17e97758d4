package dev.switchboard.sessions.internal.store;

/** What the store writes differently on H2 and on PostgreSQL: every such difference is here. */
public enum Dialect {
    H2,
    POSTGRESQL;

    public static Dialect of(boolean postgres) {
        return postgres ? POSTGRESQL : H2;
    }

    /**
     * {@code update} of {@code table} as a query of {@code columns} of the rows it changed, after the change:
     * {@code RETURNING} on PostgreSQL, a data change delta table on H2 (named as the table, for the columns).
     */
    String returning(String table, String update, String columns) {
        return this == POSTGRESQL ? update + " RETURNING " + columns
                : "SELECT " + columns + " FROM FINAL TABLE (" + update + ") " + table;
    }

    /**
     * Whether a quick usage report is one autocommitted statement (PostgreSQL, a round trip away) rather than
     * two statements of the caller's transaction (H2, in process); see {@link UsageLedger#report}.
     */
    public boolean reportsInOneStatement() {
        return this == POSTGRESQL;
    }
}
