package dev.switchboard.api.shell;

/** Where a Karaf console action puts its answer. */
public final class CommandOutput {

    private CommandOutput() {
    }

    /**
     * Prints a command's answer, ending it with a line break, on {@code System.out}, which Karaf's shell
     * routes to the session running the command (or into the next command of a pipe), as Karaf's own
     * commands print. An action prints its answer instead of returning it: Karaf shows what a command
     * returns only at the interactive console, never in a script or a command sent by {@code bin/client}.
     */
    public static void print(String answer) {
        System.out.print(answer.endsWith("\n") ? answer : answer + "\n");
        System.out.flush();
    }
}
