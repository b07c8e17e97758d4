package dev.switchboard.sessions.internal;

import java.sql.Connection;
import java.util.Map;

import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/** Brings a schema up to date with Liquibase: only loaded when {@link SchemaCurrency} finds it is not. */
final class LiquibaseMigration {

    private LiquibaseMigration() {
    }

    static void update(Connection connection, String changelog) throws Exception {
        // Liquibase finds its own services (log, parsers, databases) through ServiceLoader on the
        // context class loader: in OSGi that must be the Liquibase bundle's class loader
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Scope.class.getClassLoader());
        try {
            ClassLoaderResourceAccessor changelogs = new ClassLoaderResourceAccessor(LiquibaseMigration.class.getClassLoader());
            Map<String, Object> scope = Map.of(
                    "liquibase.analytics.enabled", Boolean.FALSE,
                    "liquibase.showBanner", Boolean.FALSE,
                    Scope.Attr.ui.name(), new liquibase.ui.LoggerUIService(),
                    Scope.Attr.classLoader.name(), Scope.class.getClassLoader(),
                    Scope.Attr.resourceAccessor.name(), changelogs);
            Scope.child(scope, () -> {
                liquibase.database.Database target = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                try (Liquibase liquibase = new Liquibase(changelog, changelogs, target)) {
                    liquibase.update("");
                }
            });
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
