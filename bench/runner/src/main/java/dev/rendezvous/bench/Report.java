package dev.rendezvous.bench;

import java.util.List;

/**
 * What a scenario found: a table, the lines to print under it, and what went wrong (anything
 * there fails the run).
 */
record Report(String title, Table table, List<String> notes, List<String> failures) {
}
