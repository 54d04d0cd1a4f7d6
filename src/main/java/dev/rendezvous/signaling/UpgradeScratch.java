package dev.rendezvous.signaling;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets go of the parsing buffers Payara's upgraded request would keep for the connection's life.
 *
 * <p>Payara serves a WebSocket over the HTTP request that upgraded it: Grizzly keeps that request,
 * and everything in it, until the socket closes. Each Grizzly request holds two scratch buffers of
 * 1,024 characters for decoding its query's names and values ({@code Parameters.tmpNameC} and
 * {@code tmpValueC}), allocated with the request and kept for reuse by the next request on a pooled
 * one. The handshake reads its query itself ({@code QueryString}) and an upgraded request is
 * never parsed again, so there they are 4 KiB of an idle member's 31 (docs/BENCHMARK.md). The
 * buffers are emptied with Grizzly's own {@code CharChunk.reset()}; a later parse, were there one
 * (a pooled request reused), allocates afresh, as a chunk with no buffer does.
 *
 * <p>The way there is not in the Servlet API: Payara's request facade's {@code request}, its
 * {@code getCoyoteRequest()}, Grizzly's {@code getParameters()}, and the two fields by name. Each
 * step is checked; on another container (WildFly's Undertow), or a Payara whose shape differs,
 * nothing changes and the log says so once.
 */
final class UpgradeScratch {

    private static final Logger LOG = Logger.getLogger(UpgradeScratch.class.getName());
    private static final String PARAMETERS = "org.glassfish.grizzly.http.util.Parameters";
    private static final String CHUNK = "org.glassfish.grizzly.http.util.CharChunk";
    private static final String[] BUFFERS = {"tmpNameC", "tmpValueC"};
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    /** For each request class, how to reach its Grizzly parameters; null where there is no way. */
    private static final ClassValue<Way> WAYS = new ClassValue<>() {
        @Override
        protected Way computeValue(Class<?> type) {
            return Way.of(type);
        }
    };

    /** Grizzly's public {@code Request.getParameters()}, for each class of request behind a facade. */
    private static final ClassValue<Method> PARAMETERS_GETTER = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return type.getMethod("getParameters");
            } catch (NoSuchMethodException | RuntimeException noWay) {
                return null;
            }
        }
    };

    private UpgradeScratch() {
    }

    /**
     * Empties the parameter scratch buffers of the container request under {@code request}, a
     * request the WebSocket implementation has just upgraded. Never throws.
     *
     * @return whether they were emptied
     */
    static boolean release(ServletRequest request) {
        boolean released = false;
        String why = "no Grizzly request behind " + request.getClass().getName();
        for (ServletRequest level = request; level != null; ) {
            Way way = WAYS.get(level.getClass());
            if (way != null) {
                try {
                    released = way.release(level);
                    why = released ? null : "its parameters are not Grizzly's";
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    why = e.toString();
                }
                break;
            }
            level = level instanceof ServletRequestWrapper wrapper ? wrapper.getRequest() : null;
        }
        if (TOLD.compareAndSet(false, true)) {
            if (released) {
                LOG.info("Upgraded requests let go of Grizzly's parameter scratch buffers (4 KiB per connection)");
            } else {
                LOG.log(Level.INFO, "Upgraded requests keep the container's parameter scratch buffers: {0}", why);
            }
        }
        return released;
    }

    /** Payara's facade field {@code request}, then {@code getCoyoteRequest()}, then {@code getParameters()}. */
    private record Way(Field request, Method coyote) {

        static Way of(Class<?> facade) {
            for (Class<?> type = facade; type != null; type = type.getSuperclass()) {
                try {
                    Field field = type.getDeclaredField("request");
                    if (Modifier.isStatic(field.getModifiers())) {
                        return null;
                    }
                    Method coyote = field.getType().getMethod("getCoyoteRequest");
                    field.setAccessible(true);
                    return new Way(field, coyote);
                } catch (NoSuchFieldException notHere) {
                    // up the hierarchy
                } catch (ReflectiveOperationException | RuntimeException noWay) {
                    return null;
                }
            }
            return null;
        }

        boolean release(Object facade) throws ReflectiveOperationException {
            Object inner = request.get(facade);
            Object grizzly = inner == null ? null : coyote.invoke(inner);
            if (grizzly == null) {
                return false;
            }
            Method getter = PARAMETERS_GETTER.get(grizzly.getClass());
            Object parameters = getter == null ? null : getter.invoke(grizzly);
            if (parameters == null || !parameters.getClass().getName().equals(PARAMETERS)) {
                return false;
            }
            return Scratch.FIELDS.get(parameters.getClass()).reset(parameters);
        }
    }

    /** Grizzly's two scratch chunks of a {@code Parameters} class, and the chunk's {@code reset()}. */
    private record Scratch(Field[] chunks, Method reset) {

        static final ClassValue<Scratch> FIELDS = new ClassValue<>() {
            @Override
            protected Scratch computeValue(Class<?> parameters) {
                try {
                    Field[] chunks = new Field[BUFFERS.length];
                    for (int i = 0; i < BUFFERS.length; i++) {
                        chunks[i] = parameters.getDeclaredField(BUFFERS[i]);
                        if (!chunks[i].getType().getName().equals(CHUNK)) {
                            return new Scratch(null, null);
                        }
                        chunks[i].setAccessible(true);
                    }
                    return new Scratch(chunks, chunks[0].getType().getMethod("reset"));
                } catch (ReflectiveOperationException | RuntimeException noWay) {
                    return new Scratch(null, null);
                }
            }
        };

        boolean reset(Object parameters) throws ReflectiveOperationException {
            if (chunks == null) {
                return false;
            }
            for (Field chunk : chunks) {
                Object value = chunk.get(parameters);
                if (value != null) {
                    reset.invoke(value);
                }
            }
            return true;
        }
    }
}
