package dev.rendezvous;

import dev.rendezvous.ops.AdminGuard;
import dev.rendezvous.ops.AdminOptionsGuard;
import dev.rendezvous.ops.AdminResource;
import dev.rendezvous.ops.AdminRoutingErrors;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestApplicationTest {

    @Test
    void theAdministrationApiIsPublishedOnlyWhenSwitchedOn() {
        Set<Class<?>> off = RestApplication.classes(false);
        Set<Class<?>> on = RestApplication.classes(true);
        assertFalse(off.contains(AdminResource.class) || off.contains(AdminGuard.class) || off.contains(AdminRoutingErrors.class));
        Set<Class<?>> added = new HashSet<>(on);
        added.removeAll(off);
        assertEquals(Set.of(AdminResource.class, AdminGuard.class, AdminOptionsGuard.class, AdminRoutingErrors.class), added);
    }

    /** Resources are listed, not scanned: one that is written but not listed would silently answer 404 (or, a filter or mapper, not run). */
    @Test
    void everyResourceAndFilterInTheWarIsListed() throws IOException, URISyntaxException {
        java.nio.file.Path classes = Paths.get(RestApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found;
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            found = files.map(file -> classes.relativize(file).toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.endsWith("package-info.class"))
                    .<Class<?>>map(name -> load(name.substring(0, name.length() - ".class".length()).replace('/', '.')))
                    .filter(type -> type.isAnnotationPresent(Path.class) || ContainerRequestFilter.class.isAssignableFrom(type)
                            || ExceptionMapper.class.isAssignableFrom(type))
                    .toList();
        }
        assertTrue(found.size() >= 3, "found " + found);
        assertEquals(Set.copyOf(found), RestApplication.classes(true));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, RestApplicationTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
