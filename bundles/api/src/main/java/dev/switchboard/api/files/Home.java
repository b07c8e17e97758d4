package dev.switchboard.api.files;

import java.nio.file.Path;

/** The host's home folder, against which the plugins resolve their relative paths. */
public final class Home {

    /** The framework property naming it; the launcher sets it to its distribution folder. */
    public static final String PROPERTY = "switchboard.home";

    private Home() {
    }

    /**
     * @param property the value of {@value #PROPERTY}, as {@code BundleContext.getProperty} answers it
     * @return that folder, absolute; the working directory where the property is unset or blank
     */
    public static Path of(String property) {
        return (property == null || property.isBlank() ? Path.of("") : Path.of(property)).toAbsolutePath();
    }
}
